// Fleet benchmarks: prints figures, asserts nothing. `npm run bench:fleet -- 100,1000` for a subset.
import { cpus, totalmem } from 'node:os';
import { replayFleet } from '../functions/local/replay/fleet-replay';
import { replayFigures } from '../functions/local/replay/replay-report';

const out = (line = '') => process.stdout.write(`${line}\n`);
const sizes = (process.argv[2] ?? '100,1000,10000').split(',').map(Number);
/** Above this many hosts the events are regenerated for every query instead of held in memory. */
const STREAM_ABOVE = 2_000;

out(`# nm-dispatcher-hunt fleet replay, ${new Date().toISOString()}`);
out(`machine: ${cpus().length} × ${cpus()[0]?.model ?? 'unknown CPU'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node.js ${process.version}`);
out('\nSeed 1; 30 days of history, then replay nights alternating benign churn and attacks (all 11 variants, 150 decoys).');
out('Large fleets replay fewer nights (see "nights"): a streamed fleet is regenerated for every query.\n');
out('| hosts | events | nights | rows per hunt per night (max) | cut nights | alerts on benign churn nights | attacks alerted once on their night | missed / repeated / late | evaluator | handler | peak RSS |');
out('| ---: | ---: | ---: | --- | ---: | ---: | ---: | --- | ---: | ---: | ---: |');
for (const hosts of sizes) {
  const stream = hosts > STREAM_ABOVE;
  // A streamed fleet keeps one churn night and one attack night after learning, so it finishes in minutes.
  const fleet = stream ? { seed: 1, hosts, days: 33, historyDays: 30 } : { seed: 1, hosts };
  const started = performance.now();
  const replay = await replayFleet({ fleet, stream });
  const f = replayFigures(replay);
  const maxRows = new Map<string, number>();
  for (const night of f.nights) for (const [hunt, rows] of Object.entries(night.rows)) maxRows.set(hunt, Math.max(maxRows.get(hunt) ?? 0, rows));
  const cut = f.nights.filter((n) => n.truncated.length > 0).length;
  out(
    `| ${hosts.toLocaleString('en')} | ${replay.events.toLocaleString('en')} | ${replay.nights.length} | ${[...maxRows].map(([h, r]) => `${h} ${r}`).join(', ')} | ${cut} | ${f.benignChurnAlerts} | ${f.alertedExactlyOnce.length} of ${replay.fleet.attacks.length} | ${f.missed.length} / ${f.repeated.length} / ${f.wrongNight.length} | ${(f.evaluatorMs / 1000).toFixed(1)} s | ${(f.handlerMs / 1000).toFixed(1)} s | ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB |`,
  );
  process.stderr.write(`${hosts} hosts done in ${((performance.now() - started) / 1000).toFixed(0)} s\n`);
}

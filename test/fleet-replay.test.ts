import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { replayFleet } from '../functions/local/replay/fleet-replay';
import { replayFigures, replayTable } from '../functions/local/replay/replay-report';

// Small fleets keep CI fast; `npm run bench` replays 100, 1,000 and 10,000 hosts.
const FLEETS = [
  { seed: 1, hosts: 100 },
  { seed: 2, hosts: 80 },
];

describe('multi-night fleet replay through the real nightly run', () => {
  for (const fleet of FLEETS) {
    it(`seed ${fleet.seed}, ${fleet.hosts} hosts: learns on the first night, then runs and reports every replay night`, async (t) => {
      const replay = await replayFleet({ fleet });
      const figures = replayFigures(replay);
      for (const line of replayTable(figures).split('\n')) t.diagnostic(line);
      t.diagnostic(`alerted exactly once on their night: ${figures.alertedExactlyOnce.join(', ') || 'none'}; missed: ${figures.missed.join(', ') || 'none'}; repeated: ${figures.repeated.join(', ') || 'none'}; on another night: ${figures.wrongNight.join(', ') || 'none'}; alerts on benign churn nights: ${figures.benignChurnAlerts}`);

      const [learning, ...replayNights] = replay.nights;
      assert.equal(learning?.summary.learning, true, 'the first run learns');
      assert.equal(learning?.report?.kind, 'baseline-initialised');
      assert.ok((learning?.summary.totals.learned ?? 0) > 0);
      assert.deepEqual(replayNights.map((n) => n.night.day), replay.fleet.nights.filter((n) => n.phase === 'replay').map((n) => n.day));
      for (const night of replay.nights) {
        assert.equal(night.summary.totals.huntsFailed, 0, `day ${night.night.day}: ${night.summary.problems.join(' ')}`);
        assert.ok(night.queries.length >= night.summary.hunts.length, 'at least one evaluated _query per hunt (samples follow only for rare groups)');
        assert.equal(night.alerts.length, night.summary.totals.new + night.summary.totals.republished, 'the message carries what the run claimed');
      }
      const accounted = [...figures.alertedExactlyOnce, ...figures.missed, ...figures.repeated, ...figures.wrongNight].sort();
      assert.deepEqual(accounted, replay.fleet.attacks.map((a) => a.id).sort(), 'each attack is alerted once on its night, missed, repeated or late');
    });
  }
});

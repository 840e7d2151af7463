import { condenseNodeVersionNotice } from '../cli/node-version-notice';
import { FolderInUseError } from '../local/folder-lock';
import { DEMO_FOLDER, runDemo } from './demo';

condenseNodeVersionNotice(process.stderr);
process.stdout.write(
  [
    '┌──────────────────────────────────────────────────────────────────────────────┐',
    '│ nm-dispatcher-hunt DEMO — recorded Elasticsearch responses of a 6-host fleet │',
    '│ Local DynamoDB kept in demo-baseline/, Elasticsearch stand-in, SNS printed.  │',
    '│ Nothing leaves this machine; no AWS account or cluster is used.              │',
    '└──────────────────────────────────────────────────────────────────────────────┘',
    '',
  ].join('\n'),
);
try {
  const { summaries, explore } = await runDemo(process.stdout, process.stderr);
  const alerted = summaries[1]?.totals.new ?? 0;
  process.stdout.write(
    [
      '',
      `Demo finished: night 1 learned ${summaries[0]?.totals.learned ?? 0} entries quietly; night 2 alerted ${alerted} new findings, all from the attacker on web-03.`,
      '',
      `The baseline is kept in ${DEMO_FOLDER}/ (the next demo starts it afresh). Explore it from this checkout:`,
      ...explore.map((command) => `$ ${command}`),
      '',
    ].join('\n'),
  );
  process.exitCode = summaries.every((s) => s.outcome === 'succeeded') ? 0 : 1;
} catch (error) {
  if (!(error instanceof FolderInUseError)) throw error;
  process.stderr.write(`error: ${error.message}\n`);
  process.exitCode = 2;
}

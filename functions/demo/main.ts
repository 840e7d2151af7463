import { runDemo } from './demo';

process.stdout.write(
  [
    '┌──────────────────────────────────────────────────────────────────────────────┐',
    '│ nm-dispatcher-hunt DEMO — recorded Elasticsearch responses of a 6-host fleet │',
    '│ Embedded DynamoDB (in memory), local Elasticsearch stand-in, SNS printed.    │',
    '│ Nothing leaves this machine; no AWS account or cluster is used.              │',
    '└──────────────────────────────────────────────────────────────────────────────┘',
    '',
  ].join('\n'),
);
const summaries = await runDemo(process.stdout, process.stderr);
const alerted = summaries[1]?.totals.new ?? 0;
process.stdout.write(`\nDemo finished: night 1 learned ${summaries[0]?.totals.learned ?? 0} entries quietly; night 2 alerted ${alerted} new findings, all from the attacker on web-03.\n`);
process.exitCode = summaries.every((s) => s.outcome === 'succeeded') ? 0 : 1;

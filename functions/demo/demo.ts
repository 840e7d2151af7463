import { readFileSync } from 'node:fs';
import { DynamoDbBaselineStore } from '../adapters/dynamodb-baseline-store';
import { ElasticsearchHuntRunner, createElasticsearchClient } from '../adapters/elasticsearch-hunt-runner';
import { entriesTable } from '../cli/entries-table';
import { PrintingNotifier, progressLog, type Output } from '../cli/terminal';
import type { BaselineEntry } from '../core/baseline';
import { defaultHuntConfig } from '../core/hunt-config';
import { HUNTS } from '../core/hunts';
import { runNightlyHunt } from '../core/nightly-run';
import { triageCommand, type TriageTarget } from '../core/render/triage-command';
import type { RunSummary } from '../core/run-summary';
import { startElasticsearchStandIn } from '../local/elasticsearch-stand-in';
import { startEmbeddedDynamoDb } from '../local/embedded-dynamodb';
import { answerFromRecordedGroups, type RecordedNight } from '../local/recorded-groups';

const NIGHTS = ['night-1', 'night-2'] as const;
const fixture = (night: string) => JSON.parse(readFileSync(new URL(`fixtures/${night}.json`, import.meta.url), 'utf8')) as RecordedNight;

/** The demo's baseline: a folder in the checkout (git ignores it), named as the printed commands name it. */
export const DEMO_FOLDER = 'demo-baseline';
export const DEMO_TABLE = 'nm-dispatcher-hunt-demo';
const CHECKOUT = new URL('../../', import.meta.url).pathname;

export interface DemoResult {
  readonly summaries: RunSummary[];
  /** Commands that explore the baseline afterwards, complete, each runnable as printed from the checkout. */
  readonly explore: string[];
}

/**
 * Two nights of the real orchestrator, adapters and renderer on recorded data: a DynamoDB embedded and kept in
 * `demo-baseline/` (so that the CLI can explore it afterwards), the real Elasticsearch client against a local
 * stand-in that checks each request, SNS printed.
 */
export async function runDemo(out: Output, err: Output, folder = `${CHECKOUT}${DEMO_FOLDER}`): Promise<DemoResult> {
  const config = defaultHuntConfig();
  let night: (typeof NIGHTS)[number] = 'night-1';
  const db = await startEmbeddedDynamoDb({ folder, holder: 'npm run demo' });
  const es = await startElasticsearchStandIn({
    majorVersion: 9,
    respond: (request) => answerFromRecordedGroups(request, fixture(night)),
  });
  const target: TriageTarget = { table: DEMO_TABLE, local: DEMO_FOLDER };
  let entries: BaselineEntry[] = [];
  const summaries: RunSummary[] = [];
  try {
    // Each demo starts from an empty baseline: what an earlier demo left (and any approval made on it) is dropped.
    await db.deleteTable(DEMO_TABLE);
    const store = new DynamoDbBaselineStore(db.client, await db.createTable(DEMO_TABLE));
    const runner = new ElasticsearchHuntRunner(createElasticsearchClient({ node: es.url, apiKey: 'ZGVtbzpkZW1v' }), config);
    for (const [i, current] of NIGHTS.entries()) {
      night = current;
      const clock = () => new Date(Date.parse('2026-11-24T02:00:00.000Z') + i * 86_400_000);
      out.write(`\n=== ${current}: ${clock().toISOString()} — ${i === 0 ? 'first run on an empty baseline (learning)' : 'an attacker was active on web-03 since night 1'} ===\n\n`);
      const summary = await runNightlyHunt(
        { hunts: HUNTS, runner, store, notifier: new PrintingNotifier(out, { triage: target }, 'demo: printed, not sent'), clock, log: progressLog(err) },
        { runId: `demo-${current}` },
      );
      out.write(`run ${summary.runId}: ${summary.outcome}; findings ${summary.totals.findings}, learned ${summary.totals.learned}, known ${summary.totals.known}, new ${summary.totals.new}\n`);
      summaries.push(summary);
    }
    for await (const entry of store.list()) entries.push(entry);
    entries = entries.sort((a, b) => a.status.localeCompare(b.status) || a.huntId.localeCompare(b.huntId) || a.fingerprint.localeCompare(b.fingerprint));
    out.write(`\n=== the baseline after two nights (${triageCommand('baseline list', { local: DEMO_FOLDER })}) ===\n\n${entriesTable(entries)}`);
  } finally {
    await es.close();
    await db.close();
  }
  return { summaries, explore: exploreCommands(entries) };
}

/** What to try next on the demo's baseline: the attacker's dropped script in full, what was alerted, an export. */
function exploreCommands(entries: readonly BaselineEntry[]): string[] {
  const local = { local: DEMO_FOLDER };
  const alerted = entries.filter((e) => e.status === 'alerted');
  const script = alerted.find((e) => e.huntId === 'dispatcher-script-write') ?? alerted[0];
  return [
    triageCommand('baseline list --status alerted', local),
    ...(script ? [triageCommand(`baseline show ${script.fingerprint.slice(0, 12)}`, local)] : []),
    triageCommand('baseline list --status learned --json', local),
    triageCommand(`baseline export ${DEMO_FOLDER}/baseline.jsonl`, local),
  ];
}

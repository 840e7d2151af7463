import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, beforeEach, describe, it } from 'node:test';
import { GetFunctionConfigurationCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { DynamoDbBaselineStore } from '../functions/adapters/dynamodb-baseline-store';
import { runCli } from '../functions/cli/cli';
import { entryFromFinding } from '../functions/core/baseline';
import { huntById } from '../functions/core/hunts';
import { startElasticsearchStandIn, type ElasticsearchStandIn } from '../functions/local/elasticsearch-stand-in';
import { startEmbeddedDynamoDb, type EmbeddedDynamoDb } from '../functions/local/embedded-dynamodb';
import { writeFinding } from './support/harness';
import { answerFromRecordedGroups } from '../functions/local/recorded-groups';
import { childGroup, writeGroup } from './support/rows';

const ROOT = new URL('..', import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), 'nmdh-dry-'));
const connection = join(dir, 'connection.json');
const KNOWN = '/etc/NetworkManager/dispatcher.d/01-ifupdown';
let es: ElasticsearchStandIn;
let db: EmbeddedDynamoDb;

async function cli(args: string[], env: Record<string, string> = {}) {
  let stdout = '';
  let stderr = '';
  const code = await runCli(args, { out: { write: (s) => void (stdout += s) }, err: { write: (s) => void (stderr += s) }, env });
  return { code, stdout, stderr };
}

/** The queries Elasticsearch received since the last reset, by the index they read. */
const queried = () => es.requests.filter((r) => r.path.startsWith('/_query')).map((r) => String(r.body.query).split('\n')[0]);

before(async () => {
  es = await startElasticsearchStandIn({
    majorVersion: 9,
    respond: (request) =>
      answerFromRecordedGroups(request, {
        'dispatcher-script-child': [childGroup()],
        'dispatcher-script-write': [writeGroup(KNOWN, '/usr/bin/cp'), writeGroup('/etc/NetworkManager/dispatcher.d/99-evil', '/usr/bin/bash')],
      }),
  });
  db = await startEmbeddedDynamoDb();
  writeFileSync(connection, JSON.stringify({ node: es.url, apiKey: 'ZGVtbzpkZW1v' }));
});
after(async () => {
  await es.close();
  await db.close();
});
beforeEach(() => void es.requests.splice(0));

describe('run --dry-run', () => {
  it('needs no table and no AWS credentials: findings are labelled as not compared, and --json prints the summary alone', async () => {
    const env = { PATH: process.env.PATH ?? '', HOME: dir, AWS_EC2_METADATA_DISABLED: 'true' };
    const run = await new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve) => {
      const child = spawn('npm', ['run', '--silent', 'hunt', '--', 'run', '--dry-run', '--json', '--connection-file', connection], { cwd: ROOT, env });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      child.on('close', (status) => resolve({ status, stdout, stderr }));
    });
    assert.equal(run.status, 0, run.stderr);
    const summary = JSON.parse(run.stdout) as { dryRun: boolean; comparedWithBaseline: boolean; totals: { findings: number } };
    assert.equal(summary.dryRun, true);
    assert.equal(summary.comparedWithBaseline, false);
    assert.equal(summary.totals.findings, 3);
    assert.match(run.stderr, /No baseline table: findings are not compared with a baseline/);
    assert.match(run.stderr, /SNS message \(would publish; not compared with a baseline\)/);
    assert.equal((run.stderr.match(/why new: not compared with a baseline \(dry run without a table\)/g) ?? []).length, 3, 'every finding says so');
    assert.match(run.stderr, /configuration from the app's context \(cdk\.json\)/);
  });

  it('compares with a table when it has one, writing nothing', async () => {
    const table = await db.createTable();
    const store = new DynamoDbBaselineStore(db.client, table);
    const hunt = huntById('dispatcher-script-write')!;
    await store.putMany([entryFromFinding(hunt, writeFinding(KNOWN, '/usr/bin/cp'), 'learned', '2026-11-20T02:00:00.000Z')]);
    await store.markInitialised(['dispatcher-child-process', 'dispatcher-script-write']);
    const run = await cli(['run', '--dry-run', '--connection-file', connection, '--endpoint', db.endpoint, '--table', table]);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /2 new findings/, 'the known path is not new');
    assert.doesNotMatch(run.stdout, /not compared/);
    let count = 0;
    for await (const _ of store.list()) count++;
    assert.equal(count, 1, 'nothing written');
  });

  it('uses the configuration the app would deploy: cdk.json, then -c, with its hunts enabled or not', async () => {
    const run = await cli(['run', '--dry-run', '--json', '--connection-file', connection, '-c', 'nmDispatcherHunt:lookbackDays=7', '-c', 'nmDispatcherHunt:disabledHunts=dispatcher-script-write']);
    assert.equal(run.code, 0, run.stderr);
    assert.deepEqual([...new Set(queried())], ['FROM logs-endpoint.events.process-*'], 'the disabled hunt is not run');
    assert.deepEqual(es.requests[0]!.body.filter, { bool: { filter: [{ range: { '@timestamp': { gte: 'now-7d' } } }] } });
    const summary = JSON.parse(run.stdout) as { hunts: { huntId: string; status: string }[] };
    assert.deepEqual(summary.hunts.map((h) => [h.huntId, h.status]), [['dispatcher-script-run', 'ok'], ['dispatcher-script-child', 'ok'], ['dispatcher-script-write', 'disabled']]);
    assert.match(run.stderr, /configuration from the app's context \(cdk\.json, 2 -c values\): hunts dispatcher-script-run, dispatcher-script-child \(disabled: dispatcher-script-write\); lookback 7 days/);

    const bad = await cli(['run', '--dry-run', '--connection-file', connection, '-c', 'nmDispatcherHunt:lookbackDays=900']);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /the app's context is invalid, as cdk synth would say:\n {2}Context "nmDispatcherHunt:lookbackDays" is invalid: .*from 1 to 365/);
    assert.equal((await cli(['run', '--dry-run', '--connection-file', connection, '-c', 'lookbackDays'])).code, 2);
  });

  it('uses the deployed function’s configuration and its table with --function', async () => {
    const table = await db.createTable();
    await new DynamoDbBaselineStore(db.client, table).markInitialised(['dispatcher-child-process', 'dispatcher-script-write']);
    const lambda = mockClient(LambdaClient);
    lambda.on(GetFunctionConfigurationCommand, { FunctionName: 'NmDispatcherHunt-Function' }).resolves({
      Environment: { Variables: { BASELINE_TABLE_NAME: table, ALERT_TOPIC_ARN: 'arn:aws:sns:eu-west-1:111122223333:a', ES_SECRET_ID: 'es', HUNT_CONFIG: JSON.stringify({ lookbackDays: 14, disabledHunts: ['dispatcher-child-process'] }) } },
    });
    const saved = { ...process.env };
    Object.assign(process.env, { AWS_ACCESS_KEY_ID: 'local', AWS_SECRET_ACCESS_KEY: 'local', AWS_ENDPOINT_URL_DYNAMODB: db.endpoint });
    try {
      const run = await cli(['run', '--dry-run', '--connection-file', connection, '--function', 'NmDispatcherHunt-Function', '--region', 'eu-west-1']);
      assert.equal(run.code, 0, run.stderr);
      assert.match(run.stderr, /configuration from the deployed function NmDispatcherHunt-Function \(eu-west-1\): hunts dispatcher-script-write \(disabled: dispatcher-script-run, dispatcher-script-child\); lookback 14 days/, 'the earlier id disables both hunts split from it');
      assert.deepEqual([...new Set(queried())], ['FROM logs-endpoint.events.file-*']);
      assert.match(run.stdout, new RegExp(`--table ${table} --region eu-west-1`), 'the message names the deployed table and region');
      lambda.on(GetFunctionConfigurationCommand, { FunctionName: 'nope' }).rejects(Object.assign(new Error('Function not found'), { name: 'ResourceNotFoundException' }));
      const missing = await cli(['run', '--dry-run', '--connection-file', connection, '--function', 'nope', '--region', 'eu-west-1']);
      assert.equal(missing.code, 2);
      assert.match(missing.stderr, /no function "nope" in eu-west-1: use the stack output FunctionName/);
    } finally {
      process.env = saved;
      lambda.restore();
    }
  });
});

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';
import { runCli } from '../functions/cli/cli';
import { startElasticsearchStandIn, type ElasticsearchStandIn } from '../functions/local/elasticsearch-stand-in';
import { startEmbeddedDynamoDb, type EmbeddedDynamoDb } from '../functions/local/embedded-dynamodb';
import { DEFAULT_VERSIONS, nodeInfo } from '../functions/local/stand-in/node-info';
import { answerFromRecordedGroups } from '../functions/local/recorded-groups';
import { childGroup, writeGroup } from './support/rows';

let es: ElasticsearchStandIn;
let db: EmbeddedDynamoDb;
const secrets = mockClient(SecretsManagerClient);
const saved = { ...process.env };

async function cli(args: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await runCli(args, { out: { write: (s) => void (stdout += s) }, err: { write: (s) => void (stderr += s) }, env: {} });
  return { code, stdout, stderr };
}

before(async () => {
  es = await startElasticsearchStandIn({
    majorVersion: 9,
    respond: ({ method, path, body }) =>
      method === 'GET' && path === '/'
        ? { status: 200, body: nodeInfo(DEFAULT_VERSIONS[9], 'options') }
        : answerFromRecordedGroups({ method, path, body, headers: {} }, { 'dispatcher-script-child': [childGroup()], 'dispatcher-script-write': [writeGroup('/etc/NetworkManager/dispatcher.d/99-evil', '/usr/bin/bash')] }),
  });
  db = await startEmbeddedDynamoDb();
  // The secret is read through the SDK, whose region and credentials come from the environment as for an analyst.
  Object.assign(process.env, { AWS_REGION: 'eu-west-1', AWS_ACCESS_KEY_ID: 'local', AWS_SECRET_ACCESS_KEY: 'local' });
  secrets.on(GetSecretValueCommand, { SecretId: 'nm-dispatcher-hunt/elasticsearch' }).resolves({ SecretString: JSON.stringify({ node: es.url, apiKey: 'Y2xpLW9wdHMtaWQ6czNjcjN0LWszeS12YWx1ZQ==' }) });
  secrets.on(GetSecretValueCommand, { SecretId: 'missing' }).rejects(Object.assign(new Error('not found'), { name: 'ResourceNotFoundException' }));
});
after(async () => {
  process.env = saved;
  secrets.restore();
  await es.close();
  await db.close();
});

describe('the CLI’s connection and rendering options', () => {
  it('reads the connection from Secrets Manager with --secret-id, for run and doctor, and says when the secret is missing', async () => {
    const run = await cli(['run', '--dry-run', '--json', '--secret-id', 'nm-dispatcher-hunt/elasticsearch']);
    assert.equal(run.code, 0, run.stderr);
    assert.equal((JSON.parse(run.stdout) as { totals: { findings: number } }).totals.findings, 2);
    const doctor = await cli(['doctor', '--secret-id', 'nm-dispatcher-hunt/elasticsearch', '--json']);
    assert.ok(doctor.stdout, doctor.stderr);
    assert.match(doctor.stdout, /"name": "reachable",\s+"status": "ok",\s+"detail": "http:\/\/127\.0\.0\.1:\d+: cluster \\"options\\"/);
    assert.ok(!doctor.stdout.includes('Y2xpLW9wdHMtaWQ6czNjcjN0LWszeS12YWx1ZQ=='), 'the API key never appears');
    const missing = await cli(['run', '--dry-run', '--secret-id', 'missing']);
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /Secret "missing" does not exist in this account and region/);
  });

  it('links each finding to Kibana with --kibana-url', async () => {
    const run = await cli(['run', '--dry-run', '--secret-id', 'nm-dispatcher-hunt/elasticsearch', '--kibana-url', 'https://kibana.example.com']);
    assert.equal(run.code, 0, run.stderr);
    assert.equal((run.stdout.match(/^ {2}kibana: https:\/\/kibana\.example\.com\/app\/discover#\//gm) ?? []).length, 2);
  });

  it('exits 1 from show when a fingerprint is not in the baseline, and shows the others', async () => {
    const table = await db.createTable();
    const shown = await cli(['baseline', 'show', 'a'.repeat(64), '--endpoint', db.endpoint, '--table', table]);
    assert.equal(shown.code, 1);
    assert.match(shown.stderr, new RegExp(`not found in table "${table}" in the endpoint ${db.endpoint.replace(/[.]/g, '\\.')}: a{64}`));
  });
});

import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startEmbeddedDynamoDb, type EmbeddedDynamoDb } from '../functions/local/embedded-dynamodb';

const ROOT = new URL('..', import.meta.url).pathname;
const HOME = mkdtempSync(join(tmpdir(), 'nmdh-home-'));

/**
 * The CLI as an analyst runs it (`npm run hunt -- …` from the checkout), in an environment holding only what each case
 * gives it: no AWS settings, an empty home (no ~/.aws), and no instance metadata to fall back on.
 */
function hunt(args: string[], env: Record<string, string> = {}): Promise<{ status: number | null; stdout: string; stderr: string }> {
  const base = { PATH: process.env.PATH ?? '', HOME, AWS_EC2_METADATA_DISABLED: 'true' };
  return new Promise((resolve) => {
    const child = spawn('npm', ['run', '--silent', 'hunt', '--', ...args], { cwd: ROOT, env: { ...base, ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

let db: EmbeddedDynamoDb;
let table: string;
before(async () => {
  db = await startEmbeddedDynamoDb();
  table = await db.createTable('nmdh-exit-codes');
});
after(() => db.close());

describe('the CLI’s exit codes and messages, as documented (0 done, 1 failed, 2 usage or configuration)', () => {
  it('exits 2 without a region, naming --region, AWS_REGION and the stack output', async () => {
    const run = await hunt(['baseline', 'list', '--table', 'NmDispatcherHunt-BaselineTable'], { AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE', AWS_SECRET_ACCESS_KEY: 'x' });
    assert.equal(run.status, 2, run.stderr);
    assert.match(run.stderr, /no AWS region for the baseline table "NmDispatcherHunt-BaselineTable": pass --region or set AWS_REGION \(the stack outputs Region/);
  });

  it('exits 2 without credentials, saying how to sign in and which policy the role needs', async () => {
    const run = await hunt(['baseline', 'list', '--table', 'NmDispatcherHunt-BaselineTable', '--region', 'eu-west-1']);
    assert.equal(run.status, 2, run.stderr);
    assert.match(run.stderr, /no AWS credentials for the baseline table "NmDispatcherHunt-BaselineTable" in eu-west-1 .*sign in first .*AnalystPolicyArn/);
  });

  it('exits 2 when the table does not exist, naming it, the region and where its name comes from', async () => {
    const run = await hunt(['baseline', 'list', '--table', 'no-such-table', '--region', 'eu-west-1'], { AWS_ACCESS_KEY_ID: 'local', AWS_SECRET_ACCESS_KEY: 'local', AWS_ENDPOINT_URL_DYNAMODB: db.endpoint });
    assert.equal(run.status, 2, run.stderr);
    assert.match(run.stderr, /table "no-such-table" does not exist in region eu-west-1: check --table \(or BASELINE_TABLE_NAME\) and --region \(or AWS_REGION\) against the stack outputs/);
  });

  it('exits 2 without a table name, and 0 with everything in place', async () => {
    const missing = await hunt(['baseline', 'list', '--region', 'eu-west-1']);
    assert.equal(missing.status, 2);
    assert.match(missing.stderr, /no baseline table: pass --table or set BASELINE_TABLE_NAME \(the stack output BaselineTableName\)/);
    const ok = await hunt(['baseline', 'list', '--json'], { BASELINE_TABLE_NAME: table, AWS_REGION: 'eu-west-1', AWS_ACCESS_KEY_ID: 'local', AWS_SECRET_ACCESS_KEY: 'local', AWS_ENDPOINT_URL_DYNAMODB: db.endpoint });
    assert.equal(ok.status, 0, ok.stderr);
    assert.equal(ok.stdout.trim(), '[]', 'with -s, stdout holds only the JSON');
  });

  it('exits 1 when a fingerprint prefix matches nothing, and says so', async () => {
    const run = await hunt(['baseline', 'forget', 'deadbeefdeadbeef', '--table', table, '--region', 'eu-west-1'], { AWS_ACCESS_KEY_ID: 'local', AWS_SECRET_ACCESS_KEY: 'local', AWS_ENDPOINT_URL_DYNAMODB: db.endpoint });
    assert.equal(run.status, 1, run.stderr);
    assert.match(run.stderr, /prefix deadbeefdeadbeef matches no entry in table "nmdh-exit-codes" in region eu-west-1/);
  });
});

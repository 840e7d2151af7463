import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { DynamoDbBaselineStore } from '../functions/adapters/dynamodb-baseline-store';
import { runCli } from '../functions/cli/cli';
import { entryFromFinding } from '../functions/core/baseline';
import { huntById } from '../functions/core/hunts';
import { startElasticsearchStandIn, type ElasticsearchStandIn } from '../functions/local/elasticsearch-stand-in';
import { startEmbeddedDynamoDb, type EmbeddedDynamoDb } from '../functions/local/embedded-dynamodb';
import { writeFinding } from './support/harness';
import { WRITE_COLUMNS, responseFor, writeRow } from './support/rows';

/** Raw invisible code points a terminal would hide or act on (newlines between lines aside). */
const INVISIBLE = /(?!\n)[\p{Cc}\p{Cf}\p{Co}\p{Cn}\p{Zl}\p{Zp}\p{Cs}\p{Default_Ignorable_Code_Point}\ufffc\ufffd]/u;
const LOOKALIKE = '/etc/NetworkManager/dispatcher.d/01-ifupdown\u{e0041}\u202e\ud800';
const USER = 'hunt-reader';
const PASSWORD = 'a"b\\c-false-7Q';
const BASIC = Buffer.from(`${USER}:${PASSWORD}`).toString('base64');

let db: EmbeddedDynamoDb;
let es: ElasticsearchStandIn;
let table: string;
const dir = mkdtempSync(join(tmpdir(), 'nmdh-cli-text-'));

async function cli(args: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await runCli(args, { out: { write: (s) => void (stdout += s) }, err: { write: (s) => void (stderr += s) }, env: {} });
  return { code, stdout, stderr };
}

before(async () => {
  db = await startEmbeddedDynamoDb();
  es = await startElasticsearchStandIn({
    majorVersion: 9,
    respond: ({ body }) =>
      String(body.query).includes('process-*')
        ? { status: 403, body: { error: { type: 'security_exception', reason: `user [${USER}] with Basic ${BASIC} and password ${PASSWORD} (${encodeURIComponent(PASSWORD)}) is not allowed` } } }
        : { status: 200, body: responseFor(WRITE_COLUMNS, [writeRow()]) },
  });
  Object.assign(process.env, { AWS_REGION: 'us-east-1', AWS_ACCESS_KEY_ID: 'local', AWS_SECRET_ACCESS_KEY: 'local', AWS_ENDPOINT_URL_DYNAMODB: db.endpoint });
  table = await db.createTable();
  const hunt = huntById('dispatcher-script-write')!;
  await new DynamoDbBaselineStore(db.client, table).putMany([entryFromFinding(hunt, writeFinding(LOOKALIKE, '/usr/bin/cp'), 'alerted', '2026-11-25T02:00:00.000Z')]);
});
after(async () => {
  await es.close();
  await db.close();
});

describe('the CLI with hostile values and secrets', () => {
  it('lists a lookalike path with its invisible code points escaped and flagged', async () => {
    const listed = await cli(['baseline', 'list', '--table', table]);
    assert.doesNotMatch(listed.stdout, INVISIBLE);
    assert.match(listed.stdout, /\[non-ASCII: U\+E0041 U\+202E U\+D800\] agent-01 · writer \/usr\/bin\/cp · path dispatcher\.d\/01-ifupdown\\u\{e0041\}\\u202e\\ud800$/m);
  });

  it('prints JSON and JSON Lines whose raw text is inert and whose values are exact', async () => {
    const json = await cli(['baseline', 'list', '--json', '--table', table]);
    assert.doesNotMatch(json.stdout, INVISIBLE);
    assert.equal((JSON.parse(json.stdout) as { identity: Record<string, string> }[])[0]!.identity['file.path'], LOOKALIKE);
    const exported = await cli(['baseline', 'export', '--table', table]);
    assert.doesNotMatch(exported.stdout, INVISIBLE);
    const file = join(dir, 'baseline.jsonl');
    writeFileSync(file, exported.stdout);
    const target = await db.createTable();
    assert.equal((await cli(['baseline', 'import', file, '--table', target])).code, 0);
    const [entry] = JSON.parse((await cli(['baseline', 'list', '--json', '--table', target])).stdout) as { identity: Record<string, string> }[];
    assert.equal(entry!.identity['file.path'], LOOKALIKE, 'export and import keep the exact value');
    assert.equal(readFileSync(file, 'utf8'), exported.stdout);
  });

  it('keeps the password, its Basic header and its URL encoding out of a dry run’s progress, summary and errors', async () => {
    const connection = join(dir, 'es.json');
    writeFileSync(connection, JSON.stringify({ node: es.url, username: USER, password: PASSWORD }));
    const run = await cli(['run', '--dry-run', '--connection-file', connection, '--table', table]);
    assert.equal(run.code, 1, run.stderr);
    const output = run.stdout + run.stderr;
    assert.match(output, /Basic \[REDACTED\] and password \[REDACTED\] \(\[REDACTED\]\)/);
    for (const form of [PASSWORD, BASIC, encodeURIComponent(PASSWORD), JSON.stringify(PASSWORD).slice(1, -1), `[${USER}]`]) assert.ok(!output.includes(form), `${form} in the output: ${output.slice(Math.max(0, output.indexOf(form) - 300), output.indexOf(form) + 100)}`);
  });
});

import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { DynamoDbBaselineStore } from '../functions/adapters/dynamodb-baseline-store';
import { runCli } from '../functions/cli/cli';
import { entryFromFinding, type BaselineEntry } from '../functions/core/baseline';
import { entryToJsonLine, parseBaselineExport } from '../functions/core/baseline-jsonl';
import { BaselineImportError, MalformedResponseError } from '../functions/core/errors';
import { parseRareGroups } from '../functions/core/esql-result';
import { huntById } from '../functions/core/hunts';
import { startEmbeddedDynamoDb, type EmbeddedDynamoDb } from '../functions/local/embedded-dynamodb';
import { rejected, startDynamoFaultProxy, type DynamoFaultProxy } from './support/dynamodb-fault-proxy';
import { writeFinding } from './support/harness';
import { WRITE_COLUMNS, responseFor, writeRow } from './support/rows';

/* A shared baseline file is input from outside: it could pre-approve a future malicious finding while displaying a
   benign path, carry text that reaches a terminal raw, or fail halfway through an import. Nothing in it is trusted. */

const write = huntById('dispatcher-script-write')!;
const NOW = '2026-11-25T02:00:00.000Z';
const benign = entryFromFinding(write, writeFinding('/etc/NetworkManager/dispatcher.d/01-ifupdown', '/usr/bin/cp'), 'learned', NOW);
const malicious = writeFinding('/etc/NetworkManager/dispatcher.d/99-backdoor', '/usr/bin/curl');
const line = (entry: Record<string, unknown>) => JSON.stringify(entry);
const base = JSON.parse(entryToJsonLine(benign)) as Record<string, unknown>;
const rejects = (text: string, message: RegExp, options = {}) =>
  assert.throws(
    () => parseBaselineExport(text, options),
    (e: unknown) => e instanceof BaselineImportError && message.test(e.message) && /Nothing was imported/.test(e.message),
    `expected ${message}`,
  );

describe('baseline import trusts nothing in the file', () => {
  it("recomputes each fingerprint and anchor from the hunt and identity: a benign path cannot carry a malicious finding's fingerprint", () => {
    rejects(line({ ...base, fingerprint: malicious.fingerprint, status: 'approved', note: 'ok', approvedBy: 'x', approvedAt: NOW }), /Line 1: fingerprint does not match the hunt and identity digests on this line/);
    rejects(line({ ...base, anchorKey: 'f'.repeat(32) }), /Line 1: anchorKey does not match the hunt and identity digests on this line/);
    // The malicious finding's own digests and keys, under the benign path it displays.
    const { anchorKey } = entryFromFinding(write, malicious, 'learned', NOW);
    rejects(line({ ...base, fingerprint: malicious.fingerprint, identityDigests: malicious.identityDigests, anchorKey }), /Line 1: identity field "file\.path" does not match its digest/);
    assert.equal(parseBaselineExport(line(base)).entries[0]!.fingerprint, benign.fingerprint);
  });

  it('accepts an identity stored cut at 4,096 characters only with an explicit flag: its digests prove the fingerprint, not what the cut copy shows', () => {
    const long = entryFromFinding(write, writeFinding(`/etc/NetworkManager/dispatcher.d/${'a'.repeat(5_000)}`, '/usr/bin/cp'), 'learned', NOW);
    assert.equal(long.identityTruncated, true);
    rejects(entryToJsonLine(long), /Line 1: identity was stored cut at 4,096 characters, so what it shows cannot be checked against its digest: pass --allow-cut-identities/);
    const parsed = parseBaselineExport(entryToJsonLine(long), { allowCutIdentities: true });
    assert.deepEqual(parsed.cutIdentities, [1]);
    // The flag does not let a line claim to be cut when it is not.
    rejects(line({ ...base, fingerprint: malicious.fingerprint, identityTruncated: true }), /Line 1: fingerprint does not match/, { allowCutIdentities: true });
    rejects(line({ ...base, identityTruncated: true }), /Line 1: identityTruncated is true but no identity value was cut/, { allowCutIdentities: true });
  });

  it('rejects unknown or missing identity keys', () => {
    rejects(line({ ...base, identity: { ...(base.identity as object), 'process.command_line': 'x' } }), /Line 1: unknown identity field "process\.command_line"/);
    rejects(line({ ...base, identity: { 'file.path': '/x' } }), /Line 1: identity field "process\.executable" is missing/);
  });

  it('accepts only strict ISO-8601 UTC timestamps', () => {
    for (const bad of ['Nov 24 2026 (<!channel> look here)', '2026-11-24T21:14:05.000+02:00', '2026-11-24 21:14:05Z', '2026-02-30T00:00:00.000Z', '2026-11-24T24:00:00Z', '+002026-11-24T21:14:05.000Z']) {
      rejects(line({ ...base, lastSeen: bad }), /Line 1: field "lastSeen" must be an ISO-8601 UTC timestamp/);
    }
    for (const good of ['2026-11-24T21:14:05Z', '2026-11-24T21:14:05.1Z', '2026-11-24T21:14:05.123456789Z']) assert.equal(parseBaselineExport(line({ ...base, lastSeen: good })).entries.length, 1);
  });

  it('accepts only strict ISO-8601 UTC timestamps from Elasticsearch too', () => {
    const body = responseFor(WRITE_COLUMNS, [writeRow({ first_seen: 'Nov 24 2026 (<!channel> look here)' })]);
    assert.throws(() => parseRareGroups(write, body), (e: unknown) => e instanceof MalformedResponseError && /first_seen is not an ISO-8601 UTC timestamp/.test(e.message));
  });

  it('bounds numbers', () => {
    for (const [field, value] of [['eventCount', 1e300], ['agentCount', -1], ['sightings', 2 ** 53], ['eventCount', 1.5]] as const) {
      rejects(line({ ...base, [field]: value }), new RegExp(`Line 1: field "${field}" must be a whole number from 0 to`));
    }
  });

  it('escapes everything it echoes in an error', () => {
    const hostile = '\u202e<!channel>\u001b[2J\nfake line\u200b';
    for (const text of [line({ ...base, [hostile]: 1 }), line({ ...base, identity: { ...(base.identity as object), [hostile]: 'x' } })]) {
      assert.throws(
        () => parseBaselineExport(text),
        (e: unknown) => e instanceof BaselineImportError && !/[^\x20-\x7e]/.test(e.message) && e.message.includes('\\u202e'),
      );
    }
  });

  it('validates approval histories', () => {
    const approval = { by: 'alice', at: NOW, note: 'ok', scope: { kind: 'fleet' } };
    const approved = { ...base, status: 'approved', note: 'ok', approvedBy: 'alice', approvedAt: NOW };
    assert.equal(parseBaselineExport(line({ ...approved, approvals: [approval] })).entries[0]!.approvals?.length, 1);
    rejects(line({ ...approved, approvals: [{ ...approval, at: 'yesterday' }] }), /approvals\[0\]\.at/);
    rejects(line({ ...approved, approvals: [{ ...approval, scope: { kind: 'agents', agentIds: [7] } }] }), /approvals\[0\]\.scope/);
    rejects(line({ ...approved, approvals: Array.from({ length: 500 }, () => approval) }), /approvals.*at most/);
  });
});

describe('baseline import on the command line', () => {
  let db: EmbeddedDynamoDb;
  let proxy: DynamoFaultProxy;
  const dir = mkdtempSync(join(tmpdir(), 'nmdh-import-'));
  const cli = async (args: string[]) => {
    let stdout = '';
    let stderr = '';
    const code = await runCli(args, { out: { write: (s) => void (stdout += s) }, err: { write: (s) => void (stderr += s) }, env: {} });
    return { code, stdout, stderr };
  };
  const entriesIn = async (table: string) => {
    const entries: BaselineEntry[] = [];
    for await (const entry of new DynamoDbBaselineStore(db.client, table).list()) entries.push(entry);
    return entries;
  };

  before(async () => {
    db = await startEmbeddedDynamoDb();
    proxy = await startDynamoFaultProxy(db.endpoint);
    Object.assign(process.env, { AWS_REGION: 'us-east-1', AWS_ACCESS_KEY_ID: 'local', AWS_SECRET_ACCESS_KEY: 'local', AWS_ENDPOINT_URL_DYNAMODB: proxy.endpoint });
  });
  after(async () => {
    await proxy.close();
    await db.close();
  });

  it('imports approved entries only with --allow-approved, after printing a summary of statuses', async () => {
    const approved = { ...entryFromFinding(write, writeFinding('/etc/NetworkManager/dispatcher.d/vpn', '/usr/bin/cp'), 'approved', NOW), note: 'VPN hook', approvedBy: 'alice', approvedAt: NOW };
    const file = join(dir, 'approved.jsonl');
    writeFileSync(file, [entryToJsonLine(benign), entryToJsonLine(approved)].join('\n'));
    const table = await db.createTable();
    const refused = await cli(['baseline', 'import', file, '--table', table]);
    assert.equal(refused.code, 2);
    assert.match(refused.stderr, /The file holds 2 entries: 1 learned, 1 approved \(never alerted; approved by alice\)/);
    assert.match(refused.stderr, /approves 1 entry: pass --allow-approved to import approvals from this file\. Nothing was imported\./);
    assert.deepEqual(await entriesIn(table), []);
    const accepted = await cli(['baseline', 'import', file, '--table', table, '--allow-approved']);
    assert.equal(accepted.code, 0, accepted.stderr);
    assert.match(accepted.stderr, /1 learned, 1 approved/);
    assert.equal((await entriesIn(table)).length, 2);
  });

  it('writes nothing when any line is bad, and says exactly what was written when DynamoDB fails midway', async () => {
    const entries = Array.from({ length: 60 }, (_, i) => entryFromFinding(write, writeFinding(`/etc/NetworkManager/dispatcher.d/s-${i}`, '/usr/bin/cp'), 'learned', NOW));
    const file = join(dir, 'sixty.jsonl');
    writeFileSync(file, `${entries.map(entryToJsonLine).join('\n')}\n${line({ ...base, lastSeen: 'Nov 24 2026' })}\n`);
    const table = await db.createTable();
    const bad = await cli(['baseline', 'import', file, '--table', table]);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /Line 61: field "lastSeen"/);
    assert.deepEqual(await entriesIn(table), [], 'nothing was imported');

    writeFileSync(file, `${entries.map(entryToJsonLine).join('\n')}\n`);
    let batches = 0;
    proxy.rule = (operation) => (operation === 'BatchWriteItem' && ++batches === 2 ? rejected() : undefined);
    const failed = await cli(['baseline', 'import', file, '--table', table]);
    proxy.rule = () => undefined;
    assert.equal(failed.code, 1);
    assert.match(failed.stderr, /Import stopped: lines 1-25 \(25 entries\) were written; lines 26-60 \(35 entries\) were not\. .*Injected failure/);
    assert.equal((await entriesIn(table)).length, 25);
  });
});

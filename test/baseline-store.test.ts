import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { DynamoDbBaselineStore } from '../functions/adapters/dynamodb-baseline-store';
import { MAX_NOTE_CHARS, entryFromFinding, type BaselineEntry } from '../functions/core/baseline';
import { dynamoItemBytes } from '../functions/core/item-size';
import { entryToJsonLine, parseBaselineJsonLines } from '../functions/core/baseline-jsonl';
import { BaselineImportError } from '../functions/core/errors';
import { huntById } from '../functions/core/hunts';
import { runNightlyHunt } from '../functions/core/nightly-run';
import { startEmbeddedDynamoDb, type EmbeddedDynamoDb } from '../functions/local/embedded-dynamodb';
import { Clock, HUNTS, RecordingNotifier, ScriptedRunner, countCommands, silentLog, writeFinding } from './support/harness';

const write = huntById('dispatcher-script-write')!;
const NOW = '2026-11-25T02:00:00.000Z';
const entryFor = (path: string, status: BaselineEntry['status'] = 'learned') => entryFromFinding(write, writeFinding(path), status, NOW);

let db: EmbeddedDynamoDb;
before(async () => {
  db = await startEmbeddedDynamoDb();
});
after(async () => db.close());

describe('DynamoDbBaselineStore', () => {
  it('handles 10,000 findings against a 100,000-entry baseline in batches, writing only what changed', async () => {
    const table = await db.createTable();
    const store = new DynamoDbBaselineStore(db.client, table);
    const baseline = Array.from({ length: 100_000 }, (_, i) => entryFor(`/etc/NetworkManager/dispatcher.d/known-${i}`));
    await store.putMany(baseline);
    await store.markInitialised(HUNTS.map((h) => h.id));

    const runner = new ScriptedRunner();
    runner.findings = [
      // 100 known findings have news (a later event); 9,890 are exactly as recorded.
      ...Array.from({ length: 9_990 }, (_, i) => writeFinding(`/etc/NetworkManager/dispatcher.d/known-${i * 10}`, '/usr/bin/bash', i < 100 ? { lastSeen: '2026-11-25T01:00:00.000Z' } : {})),
      ...Array.from({ length: 10 }, (_, i) => writeFinding(`/etc/NetworkManager/dispatcher.d/new-${i}`)),
    ];
    const notifier = new RecordingNotifier();
    const counts = countCommands(db.client);
    const summary = await runNightlyHunt({ hunts: HUNTS, runner, store, notifier, clock: new Clock().now, log: silentLog }, { runId: 'big' });

    assert.equal(summary.totals.known, 9_990);
    assert.equal(summary.totals.new, 10);
    assert.equal(notifier.alertedFingerprints().length, 10);
    assert.deepEqual(Object.fromEntries([...counts].sort()), {
      BatchGetItemCommand: 100 + 1 + 1, // 10,000 keys / 100, the fleet-wide approvals that could cover the 10 new writes, the 10 claims re-read just before publishing
      GetItemCommand: 1 + 1, // which hunts have learned + when each last answered completely
      PutItemCommand: 10, // one conditional create per new finding
      QueryCommand: 1 + 10, // pending entries + siblings of each new finding's path
      UpdateItemCommand: 10 + 100 + HUNTS.length, // mark alerted (conditional on this run's claim) + the 100 changed observations (conditional on what was read) + each hunt's answered mark
    });
  });

  it('keeps keys and items within DynamoDB limits for 5,000+ character non-ASCII values', async () => {
    const store = new DynamoDbBaselineStore(db.client, await db.createTable());
    const huge = `/etc/NetworkManager/dispatcher.d/${'😈é\u202e\u0000'.repeat(50_000)}`;
    const finding = writeFinding(huge, `/tmp/${'ß'.repeat(6_000)}`, { hostNames: Array.from({ length: 50 }, () => 'h'.repeat(10_000)) });
    const entry = entryFromFinding(write, finding, 'pending', NOW, { runId: 'r', expiresAt: NOW });
    assert.equal(await store.createPending(entry), true);
    const stored = (await store.getMany([finding.fingerprint])).get(finding.fingerprint)!;
    assert.equal(stored.identityTruncated, true);
    assert.ok(Buffer.byteLength(JSON.stringify(stored)) < 100_000);
    assert.match(stored.identity['file.path']!, /…\[\d+ more characters\]$/);
    assert.equal(stored.fingerprint, finding.fingerprint, 'the fingerprint comes from the full values');
    assert.equal(stored.hostNames.length, 10);
  });

  it('approves and forgets entries, and says when there is nothing to change', async () => {
    const store = new DynamoDbBaselineStore(db.client, await db.createTable());
    const entry = entryFor('/etc/NetworkManager/dispatcher.d/vpn', 'alerted');
    await store.putMany([entry]);
    const approved = await store.approve(entry.fingerprint, 'corporate VPN hook', 'alice@example.com', new Date(NOW));
    assert.equal(approved?.status, 'approved');
    assert.equal(approved?.approvedBy, 'alice@example.com');
    assert.equal(await store.approve('0'.repeat(64), 'x', 'y', new Date(NOW)), undefined);
    assert.equal(await store.forget(entry.fingerprint), true);
    assert.equal(await store.forget(entry.fingerprint), false);
  });

  it('keeps every approval, newest first, with who, when, the note and the scope', async () => {
    const store = new DynamoDbBaselineStore(db.client, await db.createTable());
    const entry = { ...entryFor('/etc/NetworkManager/dispatcher.d/vpn', 'alerted'), agentIds: ['agent-7', 'agent-9'] };
    await store.putMany([entry]);
    await store.approve(entry.fingerprint, 'VPN hook on two gateways', 'alice', new Date('2026-11-25T09:00:00.000Z'));
    const again = await store.approve(entry.fingerprint, 'rolled out everywhere (CHG-88)', 'bob', new Date('2026-12-02T09:00:00.000Z'), { fleetWide: true });
    assert.deepEqual(again?.approvals, [
      { by: 'bob', at: '2026-12-02T09:00:00.000Z', note: 'rolled out everywhere (CHG-88)', scope: { kind: 'fleet' } },
      { by: 'alice', at: '2026-11-25T09:00:00.000Z', note: 'VPN hook on two gateways', scope: { kind: 'agents', agentIds: ['agent-7', 'agent-9'] } },
    ]);
    assert.deepEqual([again?.note, again?.approvedBy, again?.approvedAt], ['rolled out everywhere (CHG-88)', 'bob', '2026-12-02T09:00:00.000Z'], 'the newest approval');
    assert.deepEqual((await store.getMany([entry.fingerprint])).get(entry.fingerprint)?.approvals, again?.approvals);
  });

  it('caps the approval history well under the 400 KB item limit, even for the largest entry', async () => {
    const store = new DynamoDbBaselineStore(db.client, await db.createTable());
    // Three-byte characters everywhere, every bound reached: the largest entry a run can write.
    const wide = (n: number) => '€'.repeat(n);
    const finding = writeFinding(`/etc/NetworkManager/dispatcher.d/${wide(9_000)}`, `/usr/bin/${wide(9_000)}`, { hostNames: Array.from({ length: 10 }, (_, i) => `${i}${wide(300)}`), agentIds: Array.from({ length: 10 }, (_, i) => `${i}${wide(300)}`) });
    const entry = entryFromFinding(write, finding, 'alerted', NOW);
    await store.putMany([entry]);
    const approvals = 300;
    for (let i = 0; i < approvals; i++) {
      const at = new Date(Date.parse(NOW) + i * 60_000);
      await store.approve(entry.fingerprint, `${i} ${wide(MAX_NOTE_CHARS - 8)}`, `${i}${wide(250)}`, at, { fleetWide: i % 2 === 0 });
    }
    const stored = (await store.getMany([entry.fingerprint])).get(entry.fingerprint)!;
    const bytes = dynamoItemBytes(stored);
    assert.ok(bytes < 200_000, `item of ${bytes} bytes`);
    const kept = stored.approvals!;
    assert.ok(kept.length >= 5 && kept.length < approvals, `${kept.length} approvals kept`);
    assert.equal(stored.approvalsDropped, approvals - kept.length);
    assert.deepEqual(kept.map((a) => a.at), [...kept.map((a) => a.at)].sort().reverse(), 'newest first');
    assert.match(kept[0]!.note, /^299 /);
  });

  it('lists entries by status and hunt, hiding bookkeeping items', async () => {
    const store = new DynamoDbBaselineStore(db.client, await db.createTable());
    await store.putMany([entryFor('/a', 'learned'), entryFor('/b', 'alerted'), entryFor('/c', 'alerted')]);
    await store.markInitialised(['dispatcher-script-write']);
    const all: BaselineEntry[] = [];
    for await (const e of store.list()) all.push(e);
    assert.equal(all.length, 3);
    const alerted: BaselineEntry[] = [];
    for await (const e of store.list({ status: 'alerted', huntId: 'dispatcher-script-write' })) alerted.push(e);
    assert.deepEqual(alerted.map((e) => e.identity['file.path']).sort(), ['/b', '/c']);
  });

  it('round-trips an export through import, idempotently', async () => {
    const source = new DynamoDbBaselineStore(db.client, await db.createTable());
    const entries = [entryFor('/x', 'learned'), { ...entryFor('/y', 'approved'), note: 'ok', approvedBy: 'bob', approvedAt: NOW }];
    await source.putMany(entries);
    const lines: string[] = [];
    for await (const e of source.list()) lines.push(entryToJsonLine(e));
    const target = new DynamoDbBaselineStore(db.client, await db.createTable());
    const parsed = parseBaselineJsonLines(lines.join('\n'));
    await target.putMany(parsed);
    await target.putMany(parsed);
    const back = await target.getMany(entries.map((e) => e.fingerprint));
    const withoutRevision = ({ revision: _revision, ...rest }: BaselineEntry) => rest;
    assert.deepEqual([...back.values()].map(withoutRevision).sort((a, b) => a.fingerprint.localeCompare(b.fingerprint)), [...entries].sort((a, b) => a.fingerprint.localeCompare(b.fingerprint)));
    assert.ok([...back.values()].every((e) => typeof e.revision === 'string'), 'an import gives every entry a new revision');
  });

  it('rejects an import with a malformed line, naming the line, before writing anything', () => {
    const good = entryToJsonLine(entryFor('/x'));
    const cases: [string, RegExp][] = [
      [`${good}\n{"fingerprint": `, /Line 2: not valid JSON/],
      [`${good}\n${good}`, /Line 2: fingerprint .* appears twice/],
      [`\n${good.replace('"learned"', '"bogus"')}`, /Line 2: field "status"/],
      [good.replace(/"fingerprint":"[0-9a-f]+"/, '"fingerprint":"../../etc"'), /Line 1: field "fingerprint"/],
      [good.replace('"sightings":1', '"sightings":-1'), /Line 1: field "sightings"/],
      [good.replace('{', '{"extra":1,'), /Line 1: unknown field "extra"/],
    ];
    for (const [text, message] of cases) {
      assert.throws(() => parseBaselineJsonLines(text), (e: unknown) => e instanceof BaselineImportError && message.test(e.message) && /Nothing was imported/.test(e.message));
    }
  });
});

import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { DynamoDbBaselineStore } from '../functions/adapters/dynamodb-baseline-store';
import type { BaselineStore } from '../functions/core/ports';
import { runNightlyHunt, type RunOptions } from '../functions/core/nightly-run';
import { startEmbeddedDynamoDb, type EmbeddedDynamoDb } from '../functions/local/embedded-dynamodb';
import { Clock, HUNTS, RecordingNotifier, ScriptedRunner, childFinding, silentLog, writeFinding } from './support/harness';

const STOCK = [
  writeFinding('/etc/NetworkManager/dispatcher.d/01-ifupdown', '/usr/bin/cp'),
  childFinding('/etc/NetworkManager/dispatcher.d/01-ifupdown', '/usr/bin/run-parts', 'run-parts /etc/network/if-up.d'),
];
const DROPPED = writeFinding('/etc/NetworkManager/dispatcher.d/panix-dispatcher.sh', '/usr/bin/bash');

let db: EmbeddedDynamoDb;
before(async () => {
  db = await startEmbeddedDynamoDb();
});
after(async () => db.close());

describe('the nightly run against a real DynamoDB implementation', () => {
  let store: BaselineStore;
  let runner: ScriptedRunner;
  let notifier: RecordingNotifier;
  let clock: Clock;
  let night = 0;

  beforeEach(async () => {
    store = new DynamoDbBaselineStore(db.client, await db.createTable());
    runner = new ScriptedRunner();
    notifier = new RecordingNotifier();
    clock = new Clock();
  });

  const run = (options: Partial<RunOptions> = {}, deps: Partial<{ store: BaselineStore }> = {}) => {
    clock.advanceHours(24);
    return runNightlyHunt({ hunts: HUNTS, runner, store: deps.store ?? store, notifier, clock: clock.now, log: silentLog }, { runId: `run-${++night}`, ...options });
  };

  it('learns quietly on an empty baseline and sends one summary', async () => {
    runner.findings = STOCK;
    const summary = await run();
    assert.equal(summary.learning, true);
    assert.equal(summary.totals.learned, 2);
    assert.deepEqual(notifier.reports.map((r) => r.kind), ['baseline-initialised']);
    const entries = await store.getMany(STOCK.map((f) => f.fingerprint));
    assert.deepEqual([...entries.values()].map((e) => e.status), ['learned', 'learned']);
  });

  it('sends nothing on a quiet night and updates last seen and counts', async () => {
    runner.findings = STOCK;
    await run();
    runner.findings = STOCK.map((f) => ({ ...f, lastSeen: '2026-11-25T01:00:00.000Z', eventCount: 7 }));
    const summary = await run();
    assert.equal(summary.outcome, 'succeeded');
    assert.equal(summary.totals.known, 2);
    assert.equal(notifier.reports.length, 1, 'only the learning summary');
    const entry = (await store.getMany([STOCK[0]!.fingerprint])).get(STOCK[0]!.fingerprint)!;
    assert.equal(entry.lastSeen, '2026-11-25T01:00:00.000Z');
    assert.equal(entry.eventCount, 7);
    assert.equal(entry.sightings, 2);
    assert.equal(entry.status, 'learned');
  });

  it('alerts a new finding once and never again on later nights', async () => {
    runner.findings = STOCK;
    await run();
    runner.findings = [...STOCK, DROPPED];
    const second = await run();
    assert.equal(second.totals.new, 1);
    assert.equal(second.totals.alerted, 1);
    assert.deepEqual(notifier.alertedFingerprints(), [DROPPED.fingerprint]);
    const entry = (await store.getMany([DROPPED.fingerprint])).get(DROPPED.fingerprint)!;
    assert.equal(entry.status, 'alerted');
    assert.equal(entry.alertMessageId, second.messageId);
    assert.equal(entry.claim, undefined);
    for (let i = 0; i < 3; i++) await run();
    assert.deepEqual(notifier.alertedFingerprints(), [DROPPED.fingerprint]);
    assert.deepEqual(await store.listPending(), []);
  });

  it('never alerts an approved entry', async () => {
    runner.findings = STOCK;
    await run();
    runner.findings = [...STOCK, DROPPED];
    notifier.failNext = 1;
    const failed = await run();
    assert.equal(failed.outcome, 'failed');
    await store.approve(DROPPED.fingerprint, 'our VPN hook', 'alice', clock.now());
    await run();
    await run();
    assert.deepEqual(notifier.alertedFingerprints(), []);
    assert.equal((await store.getMany([DROPPED.fingerprint])).get(DROPPED.fingerprint)?.status, 'approved');
  });

  it('keeps entries pending when publishing fails and re-publishes them once on the next run', async () => {
    runner.findings = STOCK;
    await run();
    runner.findings = [...STOCK, DROPPED];
    notifier.failNext = 1;
    const failed = await run();
    assert.equal(failed.outcome, 'failed');
    assert.match(failed.problems.join('\n'), /Publishing the notification failed.*stay pending/);
    assert.deepEqual((await store.listPending()).map((e) => e.fingerprint), [DROPPED.fingerprint]);
    runner.findings = STOCK; // the finding is gone from tonight's results: it is still alerted
    const retried = await run();
    assert.equal(retried.totals.republished, 1);
    const report = notifier.reports.at(-1)!;
    assert.ok(report.kind === 'new-findings' && report.alerts[0]!.republished);
    await run();
    assert.deepEqual(notifier.alertedFingerprints(), [DROPPED.fingerprint]);
  });

  it('re-publishes after a crash between publish and marking only once the claim has lapsed (at-least-once window)', async () => {
    runner.findings = STOCK;
    await run();
    runner.findings = [...STOCK, DROPPED];
    const crashing: BaselineStore = Object.create(store, {
      markAlerted: { value: async () => { throw new Error('Lambda timed out (injected)'); } },
    });
    await assert.rejects(run({}, { store: crashing }), /injected/);
    assert.equal(notifier.alertedFingerprints().length, 1);
    // A retry within the claim lease leaves the entry to the crashed run: no duplicate.
    clock.advanceHours(-24 + 0.1);
    const retry = await run();
    assert.equal(retry.totals.claimedElsewhere, 1);
    assert.equal(notifier.alertedFingerprints().length, 1);
    // The next night the claim has lapsed: the finding is published a second time, and then never again.
    await run();
    await run();
    assert.deepEqual(notifier.alertedFingerprints(), [DROPPED.fingerprint, DROPPED.fingerprint]);
  });

  it('alerts a finding once when two runs overlap', async () => {
    runner.findings = STOCK;
    await run();
    runner.findings = [...STOCK, DROPPED];
    let open!: () => void;
    runner.gate = new Promise((resolve) => (open = resolve));
    clock.advanceHours(24);
    const deps = { hunts: HUNTS, runner, store, notifier, clock: clock.now, log: silentLog };
    const both = Promise.all([runNightlyHunt(deps, { runId: 'overlap-a' }), runNightlyHunt(deps, { runId: 'overlap-b' })]);
    open();
    const [a, b] = await both;
    assert.equal(a.totals.new + b.totals.new, 1);
    assert.deepEqual(notifier.alertedFingerprints(), [DROPPED.fingerprint]);
    assert.equal((await store.getMany([DROPPED.fingerprint])).get(DROPPED.fingerprint)?.status, 'alerted');
  });

  it('reports the other hunt when one fails, and ends as failed', async () => {
    runner.findings = STOCK;
    await run();
    runner.findings = [...STOCK, DROPPED, childFinding('/etc/NetworkManager/dispatcher.d/panix-dispatcher.sh', '/usr/bin/nohup', 'nohup setsid bash')];
    runner.failures.set('dispatcher-child-process', new Error('Elasticsearch denied the query (403)'));
    const summary = await run();
    assert.equal(summary.outcome, 'failed');
    assert.equal(summary.totals.huntsFailed, 1);
    assert.deepEqual(notifier.alertedFingerprints(), [DROPPED.fingerprint]);
    assert.equal(summary.hunts.find((h) => h.huntId === 'dispatcher-child-process')?.status, 'failed');
  });

  it('reports a hunt without data as blind, still alerts the other, and ends as failed', async () => {
    runner.findings = STOCK;
    await run();
    runner.findings = [...STOCK, DROPPED];
    runner.withoutData.add('dispatcher-child-process');
    const summary = await run();
    assert.equal(summary.outcome, 'failed');
    assert.equal(summary.hunts.find((h) => h.huntId === 'dispatcher-child-process')?.status, 'no-data');
    assert.match(summary.problems.join('\n'), /dispatcher-child-process found no index matching logs-endpoint\.events\.process-\*.*the hunt is blind/);
    assert.deepEqual(notifier.alertedFingerprints(), [DROPPED.fingerprint]);
  });

  it('keeps learning a hunt that failed on the first run instead of alerting its whole history later', async () => {
    runner.findings = STOCK;
    runner.failures.set('dispatcher-script-write', new Error('403'));
    await run();
    runner.failures.clear();
    const second = await run();
    assert.equal(second.totals.learned, 1);
    assert.deepEqual(notifier.alertedFingerprints(), []);
    assert.deepEqual(notifier.reports.map((r) => r.kind), ['baseline-initialised', 'baseline-initialised']);
  });

  it('records everything as learned when learning is forced', async () => {
    runner.findings = STOCK;
    await run();
    runner.findings = [...STOCK, DROPPED];
    const summary = await run({ forceLearning: true });
    assert.equal(summary.totals.learned, 1);
    assert.deepEqual(notifier.alertedFingerprints(), []);
  });

  it('changes nothing on a dry run', async () => {
    runner.findings = STOCK;
    await run();
    runner.findings = [...STOCK, DROPPED];
    const summary = await run({ dryRun: true });
    assert.equal(summary.dryRun, true);
    assert.equal(notifier.alertedFingerprints().length, 1, 'the would-be message is shown');
    assert.equal((await store.getMany([DROPPED.fingerprint])).size, 0);
    await run();
    assert.equal(notifier.alertedFingerprints().length, 2, 'the real run still alerts');
  });

  it('explains why a finding is new against its siblings', async () => {
    runner.findings = STOCK;
    await run();
    const newWriter = writeFinding('/etc/NetworkManager/dispatcher.d/01-ifupdown', '/usr/bin/perl');
    const newChild = childFinding('/etc/NetworkManager/dispatcher.d/01-ifupdown', '/usr/bin/curl', 'curl http://x');
    runner.findings = [...STOCK, newWriter, newChild, DROPPED];
    await run();
    const report = notifier.reports.at(-1)!;
    assert.equal(report.kind, 'new-findings');
    const novelty = Object.fromEntries(report.alerts.map((a) => [a.entry.fingerprint, a.novelty]));
    assert.equal(novelty[newWriter.fingerprint], 'path known (written by /usr/bin/cp), new writer /usr/bin/perl');
    assert.equal(novelty[newChild.fingerprint], 'parent known with 1 other child, new child /usr/bin/curl');
    assert.equal(novelty[DROPPED.fingerprint], 'path never seen');
  });
});

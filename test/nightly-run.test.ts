import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { DynamoDbBaselineStore } from '../functions/adapters/dynamodb-baseline-store';
import { entryFromFinding } from '../functions/core/baseline';
import { ConfigurationError } from '../functions/core/errors';
import { huntById } from '../functions/core/hunts';
import type { BaselineStore, Notifier } from '../functions/core/ports';
import { runNightlyHunt, type RunOptions } from '../functions/core/nightly-run';
import { startEmbeddedDynamoDb, type EmbeddedDynamoDb } from '../functions/local/embedded-dynamodb';
import { Clock, HUNTS, RecordingNotifier, ScriptedRunner, childFinding, runFinding, silentLog, writeFinding } from './support/harness';

const STOCK = [
  writeFinding('/etc/NetworkManager/dispatcher.d/01-ifupdown', '/usr/bin/cp'),
  childFinding('/etc/NetworkManager/dispatcher.d/01-ifupdown', '/usr/bin/run-parts', 'run-parts /etc/network/if-up.d'),
  runFinding('/etc/NetworkManager/dispatcher.d/01-ifupdown'),
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
    assert.equal(summary.totals.learned, 3);
    assert.deepEqual(notifier.reports.map((r) => r.kind), ['baseline-initialised']);
    const entries = await store.getMany(STOCK.map((f) => f.fingerprint));
    assert.deepEqual([...entries.values()].map((e) => e.status), ['learned', 'learned', 'learned']);
  });

  it('sends nothing on a quiet night and updates last seen and counts', async () => {
    runner.findings = STOCK;
    await run();
    runner.findings = STOCK.map((f) => ({ ...f, lastSeen: '2026-11-25T01:00:00.000Z', eventCount: 7 }));
    const summary = await run();
    assert.equal(summary.outcome, 'succeeded');
    assert.equal(summary.totals.known, 3);
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

  it("publishes at once, on Lambda's retry with the same request id, what a crashed attempt claimed", async () => {
    runner.findings = STOCK;
    await run();
    runner.findings = [...STOCK, DROPPED];
    // A hard crash after claiming (timeout, out of memory): nothing the run does afterwards reaches the table.
    const crashing: BaselineStore = Object.create(store, {
      siblings: { value: async () => { throw new Error('Task timed out after 600.00 seconds (injected)'); } },
      releaseClaims: { value: async () => { throw new Error('the process is gone (injected)'); } },
    });
    await assert.rejects(run({ runId: 'request-7' }, { store: crashing }), /injected/);
    assert.deepEqual(notifier.alertedFingerprints(), []);
    clock.advanceHours(-24 + 0.05); // Lambda retries a few minutes later, with the same awsRequestId
    const retry = await run({ runId: 'request-7' });
    assert.equal(retry.outcome, 'succeeded');
    assert.equal(retry.totals.claimedElsewhere, 0);
    assert.deepEqual(notifier.alertedFingerprints(), [DROPPED.fingerprint]);
    await run();
    assert.deepEqual(notifier.alertedFingerprints(), [DROPPED.fingerprint], 'and never again');
  });

  it('releases its claims on any failure between claiming and publishing, so that the next run alerts at once', async () => {
    runner.findings = STOCK;
    await run();
    runner.findings = [...STOCK, DROPPED];
    const failing: BaselineStore = Object.create(store, {
      siblings: { value: async () => { throw new Error('DynamoDB is unavailable (injected)'); } },
    });
    await assert.rejects(run({}, { store: failing }), /injected/);
    assert.deepEqual((await store.listPending()).map((e) => [e.fingerprint, e.claim]), [[DROPPED.fingerprint, undefined]]);
    clock.advanceHours(-24 + 0.05); // the scheduler's retry: another request id
    const next = await run();
    assert.equal(next.totals.republished, 1);
    assert.deepEqual(notifier.alertedFingerprints(), [DROPPED.fingerprint]);
  });

  it('reports a new finding claimed by another live run as a problem and a count, and succeeds', async () => {
    runner.findings = STOCK;
    await run();
    const write = huntById('dispatcher-script-write')!;
    const expiresAt = new Date(clock.now().getTime() + 24 * 3_600_000 + 600_000).toISOString();
    await store.createPending(entryFromFinding(write, DROPPED, 'pending', clock.now().toISOString(), { runId: 'other-run', expiresAt }));
    runner.findings = [...STOCK, DROPPED];
    const summary = await run();
    assert.equal(summary.outcome, 'succeeded');
    assert.equal(summary.totals.claimedElsewhere, 1);
    assert.match(summary.problems.join('\n'), /1 new finding is claimed by another run still in progress \(other-run/);
    assert.deepEqual(notifier.alertedFingerprints(), []);
  });

  it("holds its claims past the run's deadline, and refuses a lease shorter than the deadline", async () => {
    runner.findings = STOCK;
    await run();
    runner.findings = [...STOCK, DROPPED];
    clock.advanceHours(24);
    const deps = { hunts: HUNTS, runner, store, notifier, clock: clock.now, log: silentLog };
    const deadline = clock.now().getTime() + 10 * 60_000;
    await assert.rejects(runNightlyHunt(deps, { runId: 'short-lease', deadline, claimLeaseMs: 5 * 60_000 }), (e: unknown) => e instanceof ConfigurationError && /lease.*shorter than/.test(e.message));
    assert.deepEqual(notifier.alertedFingerprints(), [], 'refused before anything was claimed');
    const failing = { publish: async () => { throw new Error('SNS is unavailable (injected)'); } };
    const summary = await runNightlyHunt({ ...deps, notifier: failing, store: Object.create(store, { releaseClaims: { value: async () => {} } }) }, { runId: 'deadline-run', deadline });
    assert.equal(summary.outcome, 'failed');
    const [pending] = await store.listPending();
    assert.ok(Date.parse(pending!.claim!.expiresAt) >= deadline + 60_000, `claim ${pending!.claim!.expiresAt} must outlive the deadline`);
  });

  it('does not publish what another run took over after its lease lapsed (a laptop that slept)', async () => {
    runner.findings = STOCK;
    await run();
    runner.findings = [...STOCK, DROPPED];
    clock.advanceHours(24);
    const frozen = clock.now(); // the sleeping run's clock does not move: the store must tell it
    let resume!: () => void;
    let paused!: () => void;
    const pausedNow = new Promise<void>((resolve) => (paused = resolve));
    const sleeping: BaselineStore = Object.create(store, {
      siblings: { value: async (anchor: string, limit: number) => { paused(); await new Promise<void>((r) => (resume = r)); return store.siblings(anchor, limit); } },
    });
    const slow = runNightlyHunt({ hunts: HUNTS, runner, store: sleeping, notifier, clock: () => new Date(frozen), log: silentLog }, { runId: 'laptop', deadline: frozen.getTime() + 10 * 60_000 });
    await pausedNow;
    clock.advanceHours(2);
    const other = await runNightlyHunt({ hunts: HUNTS, runner, store, notifier, clock: clock.now, log: silentLog }, { runId: 'scheduled' });
    assert.equal(other.totals.republished, 1);
    resume();
    const late = await slow;
    assert.deepEqual(notifier.alertedFingerprints(), [DROPPED.fingerprint], 'alerted once, by the run that took over');
    assert.equal(late.totals.alerted, 0);
    assert.match(late.problems.join('\n'), /taken over by another run/);
  });

  it('stops before publishing when its own deadline has passed, and releases its claims', async () => {
    runner.findings = STOCK;
    await run();
    runner.findings = [...STOCK, DROPPED];
    clock.advanceHours(24);
    const deadline = clock.now().getTime() + 10 * 60_000;
    const sleeping: BaselineStore = Object.create(store, {
      siblings: { value: async (anchor: string, limit: number) => { clock.advanceHours(1); return store.siblings(anchor, limit); } },
    });
    const late = await runNightlyHunt({ hunts: HUNTS, runner, store: sleeping, notifier, clock: clock.now, log: silentLog }, { runId: 'laptop', deadline });
    assert.equal(late.outcome, 'failed');
    assert.match(late.problems.join('\n'), /passed its deadline .* before publishing/);
    assert.deepEqual(notifier.alertedFingerprints(), []);
    assert.deepEqual((await store.listPending()).map((e) => e.claim), [undefined]);
    await run();
    assert.deepEqual(notifier.alertedFingerprints(), [DROPPED.fingerprint]);
  });

  it('approving a pending entry while its run publishes leaves the run successful and the approval in place', async () => {
    runner.findings = STOCK;
    await run();
    runner.findings = [...STOCK, DROPPED];
    const approving: Notifier = {
      publish: async (report) => {
        await store.approve(DROPPED.fingerprint, 'our VPN hook', 'alice', clock.now());
        return notifier.publish(report);
      },
    };
    clock.advanceHours(24);
    const summary = await runNightlyHunt({ hunts: HUNTS, runner, store, notifier: approving, clock: clock.now, log: silentLog }, { runId: 'approved-meanwhile' });
    assert.equal(summary.outcome, 'succeeded', summary.problems.join('\n'));
    assert.deepEqual(summary.problems, []);
    assert.equal((await store.getMany([DROPPED.fingerprint])).get(DROPPED.fingerprint)?.status, 'approved');
  });

  it('re-sends once, marked as such, a publish whose response was lost (a named duplicate window)', async () => {
    runner.findings = STOCK;
    await run();
    runner.findings = [...STOCK, DROPPED];
    const lostResponse: Notifier = {
      publish: async (report) => {
        await notifier.publish(report); // SNS accepted it…
        throw new Error('socket hang up (injected)'); // …and the answer never arrived
      },
    };
    clock.advanceHours(24);
    const first = await runNightlyHunt({ hunts: HUNTS, runner, store, notifier: lostResponse, clock: clock.now, log: silentLog }, { runId: 'request-10' });
    assert.equal(first.outcome, 'failed');
    clock.advanceHours(0.05);
    const retry = await run({ runId: 'request-10' });
    const report = notifier.reports.at(-1)!;
    assert.ok(report.kind === 'new-findings' && report.alerts[0]!.republished, 'the second copy says it is re-sent');
    assert.equal(retry.outcome, 'succeeded');
    await run();
    assert.equal(notifier.alertedFingerprints().filter((f) => f === DROPPED.fingerprint).length, 2);
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
    runner.failures.set('dispatcher-script-child', new Error('Elasticsearch denied the query (403)'));
    const summary = await run();
    assert.equal(summary.outcome, 'failed');
    assert.equal(summary.totals.huntsFailed, 1);
    assert.deepEqual(notifier.alertedFingerprints(), [DROPPED.fingerprint]);
    assert.equal(summary.hunts.find((h) => h.huntId === 'dispatcher-script-child')?.status, 'failed');
  });

  it('reports a hunt without data as blind, still alerts the other, and succeeds (the blind gauge alarms)', async () => {
    runner.findings = STOCK;
    await run();
    runner.findings = [...STOCK, DROPPED];
    runner.withoutData.add('dispatcher-script-child');
    const summary = await run();
    assert.equal(summary.outcome, 'succeeded');
    assert.equal(summary.totals.huntsBlind, 1);
    assert.equal(summary.hunts.find((h) => h.huntId === 'dispatcher-script-child')?.status, 'no-data');
    assert.match(summary.problems.join('\n'), /dispatcher-script-child found no index matching logs-endpoint\.events\.process-\*.*the hunt is blind/);
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

  it('keeps learning a hunt whose first answer was partial (is_partial)', async () => {
    runner.findings = STOCK;
    runner.partial.add('dispatcher-script-write');
    const first = await run();
    assert.equal(first.outcome, 'failed');
    assert.equal(first.hunts.find((h) => h.huntId === 'dispatcher-script-write')?.learningEnded, false);
    runner.partial.clear();
    runner.findings = [...STOCK, DROPPED]; // part of the history the partial answer missed
    const second = await run();
    assert.equal(second.hunts.find((h) => h.huntId === 'dispatcher-script-write')?.learningEnded, true);
    assert.deepEqual(notifier.alertedFingerprints(), [], 'learned, not alerted');
    assert.equal((await store.getMany([DROPPED.fingerprint])).get(DROPPED.fingerprint)?.status, 'learned');
  });

  it('keeps learning a hunt that was blind, and learns it when its data arrives', async () => {
    runner.findings = STOCK;
    runner.withoutData.add('dispatcher-script-write');
    await run();
    runner.withoutData.clear();
    await run();
    assert.deepEqual(notifier.alertedFingerprints(), []);
    assert.equal((await store.getMany([STOCK[0]!.fingerprint])).get(STOCK[0]!.fingerprint)?.status, 'learned');
  });

  it('says "baseline initialised: 0 entries" after a first night that found nothing', async () => {
    runner.findings = [];
    const summary = await run();
    assert.equal(summary.outcome, 'succeeded');
    assert.deepEqual(notifier.reports.map((r) => [r.kind, r.summary.totals.learned]), [['baseline-initialised', 0]]);
    runner.findings = [DROPPED];
    await run();
    assert.deepEqual(notifier.alertedFingerprints(), [DROPPED.fingerprint], 'learning ended with the empty answer');
  });

  it('ends learning on an answer cut at the cap, saying how much was cut', async () => {
    runner.findings = STOCK;
    runner.rowsCut.set('dispatcher-script-write', 250);
    const summary = await run();
    assert.equal(summary.hunts.find((h) => h.huntId === 'dispatcher-script-write')?.learningEnded, true);
    assert.match(summary.problems.join('\n'), /dispatcher-script-write finished learning on an answer cut at the 10,000-row cap: 250 rare groups past it were not learned/);
  });

  it('forces learning only when confirmed, and names every entry it learned', async () => {
    runner.findings = STOCK;
    await run();
    const second = writeFinding('/etc/NetworkManager/dispatcher.d/02-vpn', '/usr/bin/cp');
    runner.findings = [...STOCK, DROPPED, second];
    let offered: string[] = [];
    const declined = await run({ forcedLearning: { by: 'alice', confirm: async (entries) => ((offered = entries.map((e) => e.fingerprint)), false) } });
    assert.deepEqual(offered.sort(), [DROPPED.fingerprint, second.fingerprint].sort());
    assert.equal(declined.outcome, 'failed');
    assert.match(declined.problems.join('\n'), /Forced learning was not confirmed: nothing was written/);
    assert.equal((await store.getMany([DROPPED.fingerprint])).size, 0);
    const summary = await run({ forcedLearning: { by: 'alice', confirm: async () => true } });
    assert.equal(summary.totals.learned, 2);
    const report = notifier.reports.at(-1)!;
    assert.ok(report.kind === 'new-findings', report.kind);
    assert.deepEqual(report.alerts.map((a) => a.entry.fingerprint).sort(), [DROPPED.fingerprint, second.fingerprint].sort());
    for (const alert of report.alerts) assert.match(alert.novelty, /^recorded as learned by alice \(forced learning\), not alerted; /);
    assert.match(report.summary.problems.join('\n'), /Forced learning by alice recorded 2 new findings as learned/);
    assert.equal((await store.getMany([DROPPED.fingerprint])).get(DROPPED.fingerprint)?.status, 'learned');
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
    assert.equal(novelty[newWriter.fingerprint], 'path known (written by /usr/bin/cp), new writer /usr/bin/perl on web-01');
    assert.equal(novelty[newChild.fingerprint], 'script known with 1 other child, new child /usr/bin/curl');
    assert.equal(novelty[DROPPED.fingerprint], 'path never seen');
  });
});

import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { createElasticsearchClient, ElasticsearchHuntRunner } from '../functions/adapters/elasticsearch-hunt-runner';
import { DynamoDbBaselineStore } from '../functions/adapters/dynamodb-baseline-store';
import { catchUpLookbackDays } from '../functions/core/catch-up';
import type { HuntRows } from '../functions/core/esql-result';
import { parseHuntConfig } from '../functions/core/hunt-config';
import { HUNT_IDS, huntById } from '../functions/core/hunts';
import type { HuntDefinition } from '../functions/core/hunts/hunt-definition';
import { runNightlyHunt, type RunOptions } from '../functions/core/nightly-run';
import type { HuntWindow } from '../functions/core/ports';
import { startElasticsearchStandIn } from '../functions/local/elasticsearch-stand-in';
import { startEmbeddedDynamoDb, type EmbeddedDynamoDb } from '../functions/local/embedded-dynamodb';
import { Clock, HUNTS, RecordingNotifier, ScriptedRunner, childFinding, silentLog, writeFinding } from './support/harness';
import { answerFromRecordedGroups } from '../functions/local/recorded-groups';
import { writeGroup } from './support/rows';

const DAY = 86_400_000;
const write = huntById('dispatcher-script-write')!;
const otherHunts = HUNTS.filter((h) => h.id !== write.id);
const STOCK = [writeFinding('/etc/NetworkManager/dispatcher.d/01-ifupdown', '/usr/bin/cp'), childFinding('/etc/NetworkManager/dispatcher.d/01-ifupdown', '/usr/bin/run-parts', 'run-parts /etc/network/if-up.d')];
const DROPPED = writeFinding('/etc/NetworkManager/dispatcher.d/99-backdoor', '/usr/bin/curl');

/** A scripted runner that records which hunts ran and how far back each was asked to read. */
class WindowRecordingRunner extends ScriptedRunner {
  windows: { huntId: string; readSince?: string }[] = [];
  override async run(hunt: HuntDefinition, window: HuntWindow = {}): Promise<HuntRows> {
    this.windows.push({ huntId: hunt.id, ...(window.readSince ? { readSince: window.readSince.toISOString() } : {}) });
    return super.run(hunt);
  }
}

let db: EmbeddedDynamoDb;
before(async () => {
  db = await startEmbeddedDynamoDb();
});
after(async () => db.close());

describe('a hunt disabled by the deployment', () => {
  let store: DynamoDbBaselineStore;
  let runner: WindowRecordingRunner;
  let notifier: RecordingNotifier;
  let clock: Clock;
  let night = 0;
  beforeEach(async () => {
    store = new DynamoDbBaselineStore(db.client, await db.createTable());
    runner = new WindowRecordingRunner();
    notifier = new RecordingNotifier();
    clock = new Clock();
  });
  const run = (options: Partial<RunOptions> = {}, hours = 24) => {
    clock.advanceHours(hours);
    runner.windows = [];
    return runNightlyHunt({ hunts: HUNTS, runner, store, notifier, clock: clock.now, log: silentLog }, { runId: `run-${++night}`, ...options });
  };

  it('is not run and does not learn; the run succeeds and lists it as disabled', async () => {
    runner.findings = [...STOCK, DROPPED];
    const summary = await run({ disabledHunts: [write.id] });
    assert.equal(summary.outcome, 'succeeded', summary.problems.join('\n'));
    assert.deepEqual(runner.windows.map((w) => w.huntId).sort(), otherHunts.map((h) => h.id).sort());
    assert.deepEqual(summary.hunts.find((h) => h.huntId === write.id), { huntId: write.id, status: 'disabled', learning: false, learningEnded: false, rows: 0, truncated: false, warnings: 0, partial: false, new: 0, known: 0, learned: 0 });
    assert.ok(!(await store.initialisedHunts()).has(write.id), 'its learning has not ended');
    assert.equal(summary.problems.length, 0);

    const enabledAgain = await run();
    assert.equal(enabledAgain.hunts.find((h) => h.huntId === write.id)?.learning, true, 'it learns when first enabled');
    assert.equal(notifier.alertedFingerprints().length, 0);
  });

  it('still has its pending findings published', async () => {
    runner.findings = STOCK;
    await run(); // learning
    runner.findings = [...STOCK, DROPPED];
    notifier.failNext = 1;
    const failed = await run().catch(() => undefined);
    assert.notEqual(failed?.outcome, 'succeeded');
    const stuck = (await store.getMany([DROPPED.fingerprint])).get(DROPPED.fingerprint);
    assert.equal(stuck?.status, 'pending');

    const summary = await run({ disabledHunts: [write.id] });
    assert.deepEqual(notifier.alertedFingerprints(), [DROPPED.fingerprint]);
    assert.equal((await store.getMany([DROPPED.fingerprint])).get(DROPPED.fingerprint)?.status, 'alerted');
    assert.equal(summary.hunts.find((h) => h.huntId === write.id)?.new, 1);
  });

  it('reads back to its last complete answer when enabled again, as after an outage', async () => {
    runner.findings = STOCK;
    await run();
    const lastAnswered = clock.now().toISOString();
    for (let n = 0; n < 3; n++) await run({ disabledHunts: [write.id] }, 24 * 15); // 45 days off
    const enabledAgain = await run();
    assert.deepEqual(runner.windows.find((w) => w.huntId === write.id), { huntId: write.id, readSince: lastAnswered });
    for (const other of otherHunts) {
      assert.equal(runner.windows.find((w) => w.huntId === other.id)?.readSince, new Date(clock.current.getTime() - DAY).toISOString(), 'the others read back to last night');
    }
    assert.equal(enabledAgain.outcome, 'succeeded');
    const next = await run();
    assert.equal(runner.windows.find((w) => w.huntId === write.id)?.readSince, new Date(clock.current.getTime() - DAY).toISOString());
    assert.equal(next.outcome, 'succeeded');
  });

  it('does not move its mark on a failed or blind answer', async () => {
    runner.findings = STOCK;
    await run();
    const lastAnswered = clock.now().toISOString();
    runner.failures.set(write.id, new Error('cluster unreachable (injected)'));
    await run();
    runner.failures.clear();
    runner.withoutData.add(write.id);
    await run();
    runner.withoutData.clear();
    await run();
    assert.equal(runner.windows.find((w) => w.huntId === write.id)?.readSince, lastAnswered);
  });

  it('says so when even a year cannot reach back to its last answer', async () => {
    runner.findings = STOCK;
    await run();
    const late = await run({}, 24 * 400);
    assert.match(late.problems.join('\n'), new RegExp(`${write.id} last answered completely 400 days ago; only the last 365 days were hunted`));
  });
});

describe('the lookback after an outage', () => {
  const now = new Date('2026-11-25T02:00:00Z');
  const cases: [string, Date | undefined, number][] = [
    ['never answered: the configured window', undefined, 30],
    ['answered last night: the configured window', new Date(now.getTime() - DAY), 30],
    ['answered 40 days ago: 41 days', new Date(now.getTime() - 40 * DAY), 41],
    ['answered 40.2 days ago: 42 days', new Date(now.getTime() - 40.2 * DAY), 42],
    ['answered 500 days ago: at most 365', new Date(now.getTime() - 500 * DAY), 365],
  ];
  for (const [name, since, days] of cases) it(name, () => assert.equal(catchUpLookbackDays(30, since, now), days));

  it('reaches the Elasticsearch request filter', async () => {
    const es = await startElasticsearchStandIn({ majorVersion: 9, respond: (request) => answerFromRecordedGroups(request, { 'dispatcher-script-write': [writeGroup('/etc/NetworkManager/dispatcher.d/99-evil', '/usr/bin/bash')] }) });
    try {
      const runner = new ElasticsearchHuntRunner(createElasticsearchClient({ node: es.url, apiKey: 'dGVzdDprZXk=' }), parseHuntConfig({}), { retryContext: { now: () => now.getTime(), sleep: async () => {} } });
      await runner.run(write, { readSince: new Date(now.getTime() - 40 * DAY) });
      await runner.run(write);
      const ranges = es.requests.map((r) => JSON.stringify((r.body as { filter: unknown }).filter).match(/"gte":"(now-\d+d)"/)?.[1]);
      assert.deepEqual(ranges, ['now-41d', 'now-41d', 'now-30d', 'now-30d'], 'the rare groups and their samples read the same window');
    } finally {
      await es.close();
    }
  });
});

describe('disabling hunts in the configuration', () => {
  it('refuses to disable every hunt', () => {
    assert.throws(() => parseHuntConfig({ disabledHunts: HUNT_IDS }), /disables every hunt/);
  });
});

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { DynamoDbBaselineStore } from '../functions/adapters/dynamodb-baseline-store';
import type { BaselineEntry } from '../functions/core/baseline';
import type { BaselineStore, Notifier } from '../functions/core/ports';
import { runNightlyHunt } from '../functions/core/nightly-run';
import { startEmbeddedDynamoDb, type EmbeddedDynamoDb } from '../functions/local/embedded-dynamodb';
import { Clock, HUNTS, RecordingNotifier, ScriptedRunner, childFinding, silentLog, writeFinding } from './support/harness';

/* Jepsen's habit: pause the run before each of its calls to the baseline (and before it publishes), let an
   analyst forget, approve or import an entry there, and check the history against the promise: every new
   finding is alerted or still pending (or resolved by the analyst), and no analyst change is reverted. */

const KNOWN = writeFinding('/etc/NetworkManager/dispatcher.d/01-ifupdown', '/usr/bin/cp');
const KNOWN_CHILD = childFinding('/etc/NetworkManager/dispatcher.d/01-ifupdown', '/usr/bin/run-parts', 'run-parts /etc/network/if-up.d');
const LEFT_PENDING = writeFinding('/etc/NetworkManager/dispatcher.d/panix-dispatcher.sh', '/usr/bin/bash');
const FRESH = childFinding('/etc/NetworkManager/dispatcher.d/panix-dispatcher.sh', '/usr/bin/nohup', 'nohup bash -i');
const LATER = { lastSeen: '2026-11-26T23:00:00.000Z', eventCount: 4, hostNames: ['web-01', 'web-02'] };

type Action = 'forget' | 'approve' | 'import';
const TARGETS = { 'a known entry': KNOWN, 'a pending entry to re-publish': LEFT_PENDING, 'a new finding': FRESH } as const;

/** Calls `inject` once, before the run's `step`-th call to the store or the notifier; then forwards the call. */
function interleave<T extends object>(inner: T, counter: { calls: number; step: number; injected: boolean }, inject: () => Promise<void>): T {
  return new Proxy(inner, {
    get(target, property, receiver) {
      const value = Reflect.get(target, property, receiver) as unknown;
      if (typeof value !== 'function' || property === 'list') return value;
      return async (...args: unknown[]) => {
        if (counter.calls++ === counter.step) {
          counter.injected = true;
          await inject();
        }
        return (value as (...a: unknown[]) => Promise<unknown>).apply(target, args);
      };
    },
  });
}

let db: EmbeddedDynamoDb;
before(async () => {
  db = await startEmbeddedDynamoDb();
});
after(async () => db.close());

interface Outcome {
  readonly injected: boolean;
  readonly analystChanged: boolean;
  readonly final: BaselineEntry | undefined;
  readonly alertsAfterAction: number;
  readonly alerts: string[];
  readonly pendingAfter: string[];
  readonly runSucceeded: boolean;
}

async function scenario(action: Action, target: typeof KNOWN, step: number): Promise<Outcome> {
  const store = new DynamoDbBaselineStore(db.client, await db.createTable());
  const analyst = store; // the CLI writes to the same table through its own store
  const runner = new ScriptedRunner();
  const notifier = new RecordingNotifier();
  const clock = new Clock();
  const night = async (runId: string, deps: { store?: BaselineStore; notifier?: Notifier } = {}) => {
    clock.advanceHours(24);
    return runNightlyHunt({ hunts: HUNTS, runner, store: deps.store ?? store, notifier: deps.notifier ?? notifier, clock: clock.now, log: silentLog }, { runId });
  };
  runner.findings = [KNOWN, KNOWN_CHILD];
  await night('learn');
  runner.findings = [KNOWN, KNOWN_CHILD, LEFT_PENDING];
  notifier.failNext = 1;
  await night('publish-fails');

  // The run under test: a known entry with news, a pending entry to re-publish, a new finding.
  runner.findings = [{ ...KNOWN, ...LATER }, KNOWN_CHILD, LEFT_PENDING, FRESH];
  let analystChanged = false;
  let alertsBefore = 0;
  const act = async () => {
    alertsBefore = notifier.alertedFingerprints().length;
    if (action === 'forget') analystChanged = await analyst.forget(target.fingerprint);
    if (action === 'approve') analystChanged = (await analyst.approve(target.fingerprint, 'benign: ticket CHG-7', 'alice', clock.now())) !== undefined;
    if (action === 'import') {
      const current = (await analyst.getMany([target.fingerprint])).get(target.fingerprint);
      if (current) {
        const { claim: _claim, revision: _revision, ...rest } = current as BaselineEntry & { revision?: string };
        await analyst.putMany([{ ...rest, status: 'approved', note: 'imported from the shared baseline', approvedBy: 'bob', approvedAt: clock.now().toISOString() }]);
        analystChanged = true;
      }
    }
  };
  const counter = { calls: 0, step, injected: false };
  const summary = await night('under-test', { store: interleave(store, counter, act), notifier: interleave(notifier, counter, act) });
  await night('next-night');
  const alertsAfterAction = counter.injected ? notifier.alertedFingerprints().slice(alertsBefore).filter((f) => f === target.fingerprint).length : 0;
  const final = (await store.getMany([target.fingerprint])).get(target.fingerprint);
  return {
    injected: counter.injected,
    analystChanged,
    final,
    alertsAfterAction,
    alerts: notifier.alertedFingerprints(),
    pendingAfter: (await store.listPending()).map((e) => e.fingerprint),
    runSucceeded: summary.outcome === 'succeeded',
  };
}

describe('an analyst acting at any point of a run', () => {
  for (const action of ['forget', 'approve', 'import'] as const) {
    for (const [label, target] of Object.entries(TARGETS)) {
      it(`${action} of ${label} is never reverted, and no new finding is lost`, async () => {
        let steps = 0;
        for (let step = 0; ; step++) {
          const o = await scenario(action, target, step);
          if (!o.injected) break;
          steps++;
          const where = `${action} before call ${step}`;
          assert.ok(o.runSucceeded, `${where}: the run failed`);
          for (const finding of [LEFT_PENDING, FRESH]) {
            if (o.analystChanged && finding === target) continue;
            assert.ok(o.alerts.includes(finding.fingerprint) || o.pendingAfter.includes(finding.fingerprint), `${where}: ${finding.identity['file.path'] ?? finding.identity['process.executable']} lost`);
            assert.ok(o.alerts.filter((f) => f === finding.fingerprint).length <= 1, `${where}: alerted twice`);
          }
          if (!o.analystChanged) continue;
          if (action === 'forget') {
            // Still returned by the hunt, a forgotten finding comes back only as new, and is alerted by the next run at the latest.
            assert.equal(o.final?.status, 'alerted', `${where}: came back as ${o.final?.status}`);
            assert.ok(o.alertsAfterAction >= 1, `${where}: not alerted after it was forgotten`);
          } else {
            assert.equal(o.final?.status, 'approved', `${where}: status ${o.final?.status}`);
            assert.equal(o.final?.note, action === 'approve' ? 'benign: ticket CHG-7' : 'imported from the shared baseline', where);
            assert.equal(o.final?.approvedBy, action === 'approve' ? 'alice' : 'bob', where);
          }
        }
        assert.ok(steps >= 8, `only ${steps} interleavings`);
      });
    }
  }
});

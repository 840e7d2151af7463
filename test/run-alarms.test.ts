import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { RUN_GAUGES, RUN_METRICS, SUCCESSFUL_RUNS, runGauges } from '../functions/core/run-gauges';
import type { RunSummary } from '../functions/core/run-summary';
import { synthStack } from './support/synth-stack';

const { template, stack } = synthStack();
const topic = [{ Ref: stack.resolve(stack.getLogicalId(stack.hunt.topic.node.defaultChild as never)) }];
const dimensions = [{ Name: RUN_METRICS.dimension.name, Value: RUN_METRICS.dimension.value }];

interface AlarmProperties {
  MetricName: string;
  Namespace: string;
  Statistic: string;
  Period: number;
  EvaluationPeriods: number;
  DatapointsToAlarm?: number;
  Threshold: number;
  ComparisonOperator: string;
  TreatMissingData: string;
  AlarmActions?: unknown[];
  OKActions?: unknown[];
  AlarmDescription: string;
  Dimensions?: unknown;
}
const alarms = (t = template) => Object.values(t.findResources('AWS::CloudWatch::Alarm')).map((r) => (r as { Properties: AlarmProperties }).Properties);
const alarmOn = (metricName: string, t = template) => {
  const found = alarms(t).filter((a) => a.MetricName === metricName);
  assert.equal(found.length, 1, metricName);
  return found[0]!;
};

describe('run-state alarms', () => {
  const cases: [string, string][] = [
    [RUN_GAUGES.runFailed, 'Minimum'],
    [RUN_GAUGES.huntsBlind, 'Maximum'],
    [RUN_GAUGES.huntsTruncated, 'Maximum'],
  ];
  for (const [metric, statistic] of cases) {
    it(`${metric}: holds the last run's state until the next run (missing data ignored), then clears itself`, () => {
      const alarm = alarmOn(metric);
      assert.deepEqual(
        { ns: alarm.Namespace, dims: alarm.Dimensions, stat: alarm.Statistic, period: alarm.Period, n: alarm.EvaluationPeriods, op: alarm.ComparisonOperator, threshold: alarm.Threshold, missing: alarm.TreatMissingData },
        { ns: RUN_METRICS.namespace, dims: dimensions, stat: statistic, period: 300, n: 1, op: 'GreaterThanOrEqualToThreshold', threshold: 1, missing: 'ignore' },
      );
      assert.deepEqual(alarm.AlarmActions, topic);
      assert.deepEqual(alarm.OKActions, topic, 'clearing is announced too');
      assert.match(alarm.AlarmDescription, /Runbook: README\.md#/);
    });
  }

  it('read only gauges the handler publishes every run', () => {
    const published = new Set<string>([...Object.values(RUN_GAUGES), SUCCESSFUL_RUNS]);
    for (const alarm of alarms().filter((a) => a.Namespace === RUN_METRICS.namespace)) assert.ok(published.has(alarm.MetricName), alarm.MetricName);
  });
});

describe('the dead-letter queue alarm', () => {
  it('fires on each new arrival, not on messages left in the queue, and sends no OK that would read as fixed', () => {
    const alarm = alarmOn('NumberOfMessagesSent');
    assert.equal(alarm.Namespace, 'AWS/SQS');
    assert.deepEqual([alarm.Statistic, alarm.Period, alarm.EvaluationPeriods, alarm.ComparisonOperator, alarm.Threshold, alarm.TreatMissingData], ['Sum', 300, 1, 'GreaterThanOrEqualToThreshold', 1, 'notBreaching']);
    assert.deepEqual(alarm.AlarmActions, topic);
    assert.equal(alarm.OKActions, undefined);
    assert.ok(!alarms().some((a) => a.MetricName === 'ApproximateNumberOfMessagesVisible'));
  });
});

describe("the dead man's switch", () => {
  const windows: [Record<string, unknown>, number][] = [
    [{}, 26],
    [{ 'nmDispatcherHunt:scheduleExpression': 'cron(0 2 ? * MON-FRI *)' }, 74],
    [{ 'nmDispatcherHunt:scheduleTimeZone': 'Europe/Berlin' }, 49],
    [{ 'nmDispatcherHunt:scheduleExpression': 'rate(6 hours)' }, 8],
  ];
  for (const [context, hours] of windows) {
    it(`waits the schedule's longest gap plus 2 h: ${hours} h for ${JSON.stringify(context)}`, () => {
      const alarm = alarmOn(SUCCESSFUL_RUNS, Object.keys(context).length === 0 ? template : synthStack(context).template);
      assert.deepEqual(
        [alarm.Statistic, alarm.Period, alarm.EvaluationPeriods, alarm.DatapointsToAlarm, alarm.ComparisonOperator, alarm.Threshold, alarm.TreatMissingData],
        ['Sum', 3600, hours, hours, 'LessThanThreshold', 1, 'breaching'],
      );
      assert.match(alarm.AlarmDescription, new RegExp(`no successful run for ${hours} hours`));
    });
  }
});

describe('the runbook', () => {
  it('has an entry for each alarm, at the anchor its description names', async () => {
    const { readFileSync } = await import('node:fs');
    const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
    const anchors = new Set([...readme.matchAll(/^#{2,4} (.+)$/gm)].map((m) => m[1]!.toLowerCase().replace(/[^a-z0-9 -]/g, '').replace(/ /g, '-')));
    for (const alarm of alarms()) {
      const anchor = /Runbook: README\.md#([\w-]+)/.exec(alarm.AlarmDescription)?.[1];
      assert.ok(anchor && anchors.has(anchor), `${alarm.MetricName}: ${anchor}`);
    }
    for (const entry of ['running-once-by-hand', 'disabling-a-hunt', 'day-0']) assert.ok(anchors.has(entry), entry);
  });
});

describe('run gauges', () => {
  const summary = (over: Partial<RunSummary> = {}, totals: Partial<RunSummary['totals']> = {}): RunSummary => ({
    runId: 'r', startedAt: '', finishedAt: '', durationMs: 1, outcome: 'succeeded', learning: false, dryRun: false, problems: [],
    hunts: [
      { huntId: 'dispatcher-script-write', status: 'no-data', learning: false, learningEnded: false, rows: 0, truncated: false, warnings: 0, partial: false, new: 0, known: 0, learned: 0 },
      { huntId: 'dispatcher-script-child', status: 'ok', learning: false, learningEnded: false, rows: 10_000, truncated: true, rowsCut: 12, warnings: 0, partial: false, new: 2, known: 0, learned: 0 },
    ],
    totals: { findings: 10_000, new: 1, republished: 1, known: 0, learned: 0, claimedElsewhere: 3, alerted: 2, unmarked: 1, huntsFailed: 0, huntsBlind: 1, ...totals },
    ...over,
  });

  it('are derived from the run summary, every one of them every run', () => {
    assert.deepEqual(runGauges(summary()), { RunFailed: 0, HuntsFailed: 0, HuntsBlind: 1, HuntsTruncated: 1, ClaimedElsewhere: 3, UnmarkedAlerts: 1, Findings: 10_000, NewFindings: 2 });
    assert.equal(runGauges(summary({ outcome: 'failed' }, { huntsFailed: 1 })).RunFailed, 1);
    assert.deepEqual(Object.keys(runGauges(summary())).sort(), Object.values(RUN_GAUGES).sort());
  });
});

import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as cloudwatchActions from 'aws-cdk-lib/aws-cloudwatch-actions';
import type * as sns from 'aws-cdk-lib/aws-sns';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { RUN_GAUGES, RUN_METRICS, SUCCESSFUL_RUNS } from '../functions/core/run-gauges';

export interface RunAlarmsProps {
  readonly topic: sns.ITopic;
  readonly deadLetterQueue: sqs.IQueue;
  /** Hours without a successful run before the dead man's switch fires: the schedule's longest gap plus slack. */
  readonly noSuccessHours: number;
}

/** README anchors of each alarm's runbook entry. */
export const RUNBOOK = {
  lastRunFailed: 'README.md#last-run-failed',
  huntsBlind: 'README.md#hunts-blind',
  huntsTruncated: 'README.md#hunts-truncated',
  deadLetters: 'README.md#dead-letters',
  noSuccessfulRun: 'README.md#no-successful-run',
} as const;

/**
 * The alarms of BRIEF's "Run outcomes", all publishing to the alert topic.
 *
 * Run-state alarms read per-run gauges (RUN_GAUGES) that every run publishes once: a 5-minute period, one evaluation
 * period, and missing data ignored, so that between runs (hours of no data) an alarm keeps the state the last run
 * left, and the next run's datapoint moves it, and nothing else does. They neither flap with the schedule nor clear
 * before the next run, and cannot stay stuck while runs happen; if runs stop, the dead man's switch says so.
 */
export class RunAlarms extends Construct {
  public readonly lastRunFailed: cloudwatch.Alarm;
  public readonly huntsBlind: cloudwatch.Alarm;
  public readonly huntsTruncated: cloudwatch.Alarm;
  public readonly deadLetters: cloudwatch.Alarm;
  public readonly noSuccessfulRun: cloudwatch.Alarm;

  constructor(scope: Construct, id: string, props: RunAlarmsProps) {
    super(scope, id);
    const notify = new cloudwatchActions.SnsAction(props.topic);
    const gauge = (metricName: string, statistic: string) =>
      new cloudwatch.Metric({ namespace: RUN_METRICS.namespace, metricName, dimensionsMap: { [RUN_METRICS.dimension.name]: RUN_METRICS.dimension.value }, period: Duration.minutes(5), statistic });
    const stateAlarm = (alarmId: string, description: string, metric: cloudwatch.Metric) => {
      const alarm = new cloudwatch.Alarm(this, alarmId, {
        alarmDescription: description,
        metric,
        threshold: 1,
        evaluationPeriods: 1,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: cloudwatch.TreatMissingData.IGNORE,
      });
      alarm.addAlarmAction(notify);
      alarm.addOkAction(notify);
      return alarm;
    };

    // Minimum: when Lambda's retry of a failed attempt succeeds within the same 5 minutes, the run did not fail.
    this.lastRunFailed = stateAlarm(
      'LastRunFailed',
      `nm-dispatcher-hunt: the last run failed (a hunt failed or answered partially, or the secret, DynamoDB or SNS failed); clears when a run succeeds. Runbook: ${RUNBOOK.lastRunFailed}`,
      gauge(RUN_GAUGES.runFailed, cloudwatch.Stats.MINIMUM),
    );
    this.huntsBlind = stateAlarm(
      'HuntsBlind',
      `nm-dispatcher-hunt: in the last run a hunt found none of its index patterns, so it saw nothing; clears when a run sees data again. Runbook: ${RUNBOOK.huntsBlind}`,
      gauge(RUN_GAUGES.huntsBlind, cloudwatch.Stats.MAXIMUM),
    );
    this.huntsTruncated = stateAlarm(
      'HuntsTruncated',
      `nm-dispatcher-hunt: in the last run a hunt's answer was cut at the row cap, so rows past it were not compared; clears when a run's answers fit. Runbook: ${RUNBOOK.huntsTruncated}`,
      gauge(RUN_GAUGES.huntsTruncated, cloudwatch.Stats.MAXIMUM),
    );

    // A dead letter is an event, not a state: alarm on each new arrival (not on messages left in the queue, which an
    // operator may keep for days), with no OK message that would read as "fixed" five minutes later.
    this.deadLetters = new cloudwatch.Alarm(this, 'DeadLetters', {
      alarmDescription: `nm-dispatcher-hunt: a run could not be delivered by the schedule, or failed after Lambda's retry, and was sent to the dead-letter queue. Runbook: ${RUNBOOK.deadLetters}`,
      metric: props.deadLetterQueue.metricNumberOfMessagesSent({ period: Duration.minutes(5), statistic: cloudwatch.Stats.SUM }),
      threshold: 1,
      evaluationPeriods: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    this.deadLetters.addAlarmAction(notify);

    this.noSuccessfulRun = new cloudwatch.Alarm(this, 'NoSuccessfulRun', {
      alarmDescription: `nm-dispatcher-hunt dead man's switch: no successful run for ${props.noSuccessHours} hours (the schedule's longest gap plus 2 hours). The hunt is not protecting you until this clears. Runbook: ${RUNBOOK.noSuccessfulRun}`,
      metric: new cloudwatch.Metric({ namespace: RUN_METRICS.namespace, metricName: SUCCESSFUL_RUNS, dimensionsMap: { [RUN_METRICS.dimension.name]: RUN_METRICS.dimension.value }, period: Duration.hours(1), statistic: cloudwatch.Stats.SUM }),
      threshold: 1,
      evaluationPeriods: props.noSuccessHours,
      datapointsToAlarm: props.noSuccessHours,
      comparisonOperator: cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD,
      // No data is exactly what a dead man's switch is for.
      treatMissingData: cloudwatch.TreatMissingData.BREACHING,
    });
    this.noSuccessfulRun.addAlarmAction(notify);
    this.noSuccessfulRun.addOkAction(notify);
  }
}

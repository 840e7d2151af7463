import type { RunSummary } from './run-summary';

/** Where the handler publishes its metrics (CloudWatch embedded metric format) and the stack's alarms read them. */
export const RUN_METRICS = {
  namespace: 'NmDispatcherHunt',
  /** The one dimension every metric carries. */
  dimension: { name: 'service', value: 'nm-dispatcher-hunt' },
} as const;

/**
 * Per-run gauges: each run publishes every one of them once, so an alarm that keeps its state while no data comes
 * (treatMissingData "ignore") always shows what the last run saw, and the next run clears it.
 */
export const RUN_GAUGES = {
  /** 1 when the run failed (a hunt failed or answered partially, the secret, DynamoDB or SNS failed), else 0. */
  runFailed: 'RunFailed',
  huntsFailed: 'HuntsFailed',
  /** Hunts none of whose index patterns exists. */
  huntsBlind: 'HuntsBlind',
  /** Hunts whose answer was cut at the row cap. */
  huntsTruncated: 'HuntsTruncated',
  /** New findings another live run holds: that run alerts them. */
  claimedElsewhere: 'ClaimedElsewhere',
  /** Published but not marked alerted: may be published once more. */
  unmarkedAlerts: 'UnmarkedAlerts',
  findings: 'Findings',
  newFindings: 'NewFindings',
} as const;

/** Published only by a successful run: the dead man's switch alarms when it is missing for too long. */
export const SUCCESSFUL_RUNS = 'SuccessfulRuns';
export const RUN_DURATION = 'RunDurationMs';

export type RunGaugeName = (typeof RUN_GAUGES)[keyof typeof RUN_GAUGES];

/** The gauges of one run; without a summary (the run threw before it had one) only the failure is known. */
export function runGauges(summary: RunSummary | undefined): Partial<Record<RunGaugeName, number>> {
  if (!summary) return { [RUN_GAUGES.runFailed]: 1 };
  return {
    [RUN_GAUGES.runFailed]: summary.outcome === 'failed' ? 1 : 0,
    [RUN_GAUGES.huntsFailed]: summary.totals.huntsFailed,
    [RUN_GAUGES.huntsBlind]: summary.hunts.filter((h) => h.status === 'no-data').length,
    [RUN_GAUGES.huntsTruncated]: summary.hunts.filter((h) => h.truncated).length,
    [RUN_GAUGES.claimedElsewhere]: summary.totals.claimedElsewhere,
    [RUN_GAUGES.unmarkedAlerts]: summary.totals.unmarked,
    [RUN_GAUGES.findings]: summary.totals.findings,
    [RUN_GAUGES.newFindings]: summary.totals.new + summary.totals.republished,
  };
}

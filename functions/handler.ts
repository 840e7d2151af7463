import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SNSClient } from '@aws-sdk/client-sns';
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import type { Context } from 'aws-lambda';
import { parseRuntimeEnvironment } from './adapters/runtime-environment';
import { errorMessage } from './core/errors';
import { runNightlyJob } from './nightly-job';
import { escapeInvisible } from './core/invisible-text';
import { Redactor } from './core/redact';
import { safeRunLog } from './core/safe-log';
import type { RunSummary } from './core/run-summary';

export const METRICS_NAMESPACE = 'NmDispatcherHunt';
const SERVICE = 'nm-dispatcher-hunt';

const logger = new Logger({ serviceName: SERVICE });
const metrics = new Metrics({ namespace: METRICS_NAMESPACE, serviceName: SERVICE });

/** AWS clients live as long as the container; endpoints come from the SDK's own settings (AWS_ENDPOINT_URL_*). */
let clients: { dynamodb: DynamoDBClient; sns: SNSClient; secrets: SecretsManagerClient } | undefined;
const awsClients = () => (clients ??= { dynamodb: new DynamoDBClient({ maxAttempts: 6 }), sns: new SNSClient({ maxAttempts: 5 }), secrets: new SecretsManagerClient({ maxAttempts: 4 }) });

/** The event carries nothing the run obeys: whoever may invoke the function must not be able to turn new findings into known ones. */
type HuntEvent = unknown;

export class RunFailedError extends Error {
  override readonly name = 'RunFailedError';
}

/** Seconds kept back from the Lambda timeout to record the baseline and flush logs and metrics. */
const SAFETY_MARGIN_MS = 45_000;

export async function handler(_event: HuntEvent, context: Pick<Context, 'awsRequestId' | 'getRemainingTimeInMillis'>): Promise<RunSummary> {
  const secrets = new Redactor();
  const log = safeRunLog(logger, secrets);
  const startedAt = Date.now();
  try {
    const summary = await runNightlyJob({
      env: parseRuntimeEnvironment(process.env),
      clients: awsClients(),
      runId: context.awsRequestId,
      deadline: startedAt + context.getRemainingTimeInMillis() - SAFETY_MARGIN_MS,
      invocationEndsAt: startedAt + context.getRemainingTimeInMillis(),
      log,
      secretSink: secrets,
    });
    recordMetrics(summary);
    if (summary.outcome === 'failed') throw new RunFailedError(`Run failed: ${summary.problems.join(' ')}`);
    return summary;
  } catch (error) {
    if (!(error instanceof RunFailedError)) {
      metrics.addMetric('RunsFailed', MetricUnit.Count, 1);
      metrics.addMetric('RunDurationMs', MetricUnit.Milliseconds, Date.now() - startedAt);
    }
    log.error('run failed', { error: errorMessage(error), errorName: (error as Error).name });
    throw new RunFailedError(escapeInvisible(secrets.text(errorMessage(error))));
  } finally {
    metrics.publishStoredMetrics();
  }
}

function recordMetrics(summary: RunSummary): void {
  metrics.addMetric('Findings', MetricUnit.Count, summary.totals.findings);
  metrics.addMetric('NewFindings', MetricUnit.Count, summary.totals.new + summary.totals.republished);
  metrics.addMetric('HuntsFailed', MetricUnit.Count, summary.totals.huntsFailed);
  metrics.addMetric('HuntsTruncated', MetricUnit.Count, summary.hunts.filter((h) => h.truncated).length);
  metrics.addMetric('HuntsBlind', MetricUnit.Count, summary.totals.huntsBlind);
  metrics.addMetric('ClaimedElsewhere', MetricUnit.Count, summary.totals.claimedElsewhere);
  metrics.addMetric('UnmarkedAlerts', MetricUnit.Count, summary.totals.unmarked);
  metrics.addMetric('RunDurationMs', MetricUnit.Milliseconds, summary.durationMs);
  // The dead man's switch alarms when this metric is missing for 26 hours.
  metrics.addMetric(summary.outcome === 'succeeded' ? 'SuccessfulRuns' : 'RunsFailed', MetricUnit.Count, 1);
}

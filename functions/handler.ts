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
import { RUN_DURATION, RUN_METRICS, SUCCESSFUL_RUNS, runGauges } from './core/run-gauges';

export const METRICS_NAMESPACE = RUN_METRICS.namespace;
const SERVICE = RUN_METRICS.dimension.value;

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
  // Every log line of this invocation names it, so that a deploy's first run can point at its own lines.
  logger.appendKeys({ function_request_id: context.awsRequestId });
  let summary: RunSummary | undefined;
  try {
    summary = await runNightlyJob({
      env: parseRuntimeEnvironment(process.env),
      clients: awsClients(),
      runId: context.awsRequestId,
      deadline: startedAt + context.getRemainingTimeInMillis() - SAFETY_MARGIN_MS,
      invocationEndsAt: startedAt + context.getRemainingTimeInMillis(),
      log,
      secretSink: secrets,
    });
    if (summary.outcome === 'failed') throw new RunFailedError(`Run failed: ${summary.problems.join(' ')}`);
    return summary;
  } catch (error) {
    log.error('run failed', { error: errorMessage(error), errorName: (error as Error).name });
    throw new RunFailedError(escapeInvisible(secrets.text(errorMessage(error))));
  } finally {
    recordMetrics(summary, Date.now() - startedAt);
    metrics.publishStoredMetrics();
  }
}

/** Every gauge, every run, so that each alarm shows the last run's state (see RUN_GAUGES). */
function recordMetrics(summary: RunSummary | undefined, durationMs: number): void {
  for (const [name, value] of Object.entries(runGauges(summary))) metrics.addMetric(name, MetricUnit.Count, value);
  metrics.addMetric(RUN_DURATION, MetricUnit.Milliseconds, summary?.durationMs ?? durationMs);
  if (summary?.outcome === 'succeeded') metrics.addMetric(SUCCESSFUL_RUNS, MetricUnit.Count, 1);
}

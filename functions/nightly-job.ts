import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { SNSClient } from '@aws-sdk/client-sns';
import { DynamoDbBaselineStore } from './adapters/dynamodb-baseline-store';
import { connectionSecrets } from './adapters/elasticsearch-connection';
import { ElasticsearchHuntRunner, createElasticsearchClient } from './adapters/elasticsearch-hunt-runner';
import { ENV, type RuntimeEnvironment } from './adapters/runtime-environment';
import { loadElasticsearchConnection } from './adapters/secrets-manager';
import { SnsNotifier } from './adapters/sns-notifier';
import { CLOCK_SKEW_ALLOWANCE_MS } from './core/claim-lease';
import { ConfigurationError, errorMessage } from './core/errors';
import { HUNTS } from './core/hunts';
import { runNightlyHunt, type RunLog } from './core/nightly-run';
import { Redactor, type Secrets } from './core/redact';
import { RedactingNotifier } from './core/redacting-notifier';
import type { RetryPolicy } from './core/retry';
import type { RenderOptions } from './core/render/report-view';
import type { RunSummary } from './core/run-summary';

export interface JobClients {
  readonly dynamodb: DynamoDBClient;
  readonly sns: SNSClient;
  readonly secrets: SecretsManagerClient;
}

export interface NightlyJobOptions {
  readonly env: RuntimeEnvironment;
  readonly clients: JobClients;
  readonly runId: string;
  /** Epoch ms past which no Elasticsearch retry or poll starts. */
  readonly deadline: number;
  /** Epoch ms at which the invocation is stopped (the Lambda timeout): no publish starts after it, and claims outlive it. */
  readonly invocationEndsAt?: number;
  readonly log: RunLog;
  /** Receives the connection's secrets as soon as they are known, for redaction. */
  readonly secretSink: { add(secrets: Secrets): void };
  readonly clock?: () => Date;
  readonly retry?: RetryPolicy;
  readonly sleep?: (ms: number) => Promise<void>;
  /** Per-request Elasticsearch timeout; a hunt that outlasts it continues through the async API. @default 60 s */
  readonly esRequestTimeoutMs?: number;
}

/** One nightly run with the real adapters: what the Lambda handler does, minus Lambda. */
export async function runNightlyJob(options: NightlyJobOptions): Promise<RunSummary> {
  const { env, clients, log } = options;
  const clock = options.clock ?? (() => new Date());
  if (options.invocationEndsAt !== undefined) checkClaimLease(env.claimLeaseMs, options.invocationEndsAt - clock().getTime());
  const connection = await loadElasticsearchConnection(clients.secrets, env.secretId);
  const found = connectionSecrets(connection);
  options.secretSink.add(found);
  const secrets = new Redactor(found);
  const runner = new ElasticsearchHuntRunner(createElasticsearchClient(connection, options.esRequestTimeoutMs), env.huntConfig, {
    ...(options.retry ? { retry: options.retry } : {}),
    retryContext: {
      deadline: options.deadline,
      now: () => clock().getTime(),
      ...(options.sleep ? { sleep: options.sleep } : {}),
      onRetry: (attempt, delayMs, error) => log.warn('retrying Elasticsearch', { attempt, delayMs, error: errorMessage(error) }),
    },
  });
  return runNightlyHunt(
    {
      hunts: HUNTS,
      runner,
      store: new DynamoDbBaselineStore(clients.dynamodb, env.tableName),
      notifier: new RedactingNotifier(new SnsNotifier(clients.sns, env.topicArn, renderOptions(env)), secrets),
      clock,
      log,
    },
    {
      runId: options.runId,
      claimLeaseMs: env.claimLeaseMs,
      disabledHunts: env.huntConfig.disabledHunts,
      ...(options.invocationEndsAt !== undefined ? { deadline: options.invocationEndsAt } : {}),
    },
  );
}

/** What the alert's links and printed commands need: Kibana, and the table and region the analyst's CLI acts on. */
function renderOptions(env: RuntimeEnvironment): RenderOptions {
  return { ...(env.kibanaUrl ? { kibanaUrl: env.kibanaUrl } : {}), triage: { table: env.tableName, ...(env.region ? { region: env.region } : {}) } };
}

/** Claims written shorter than the invocation can last would let another run alert the same findings meanwhile. */
function checkClaimLease(leaseMs: number, remainingMs: number): void {
  if (leaseMs >= remainingMs + CLOCK_SKEW_ALLOWANCE_MS) return;
  const seconds = (ms: number) => Math.ceil(ms / 1_000);
  throw new ConfigurationError(
    ENV.claimLeaseSeconds,
    `${seconds(leaseMs)} s is shorter than the function's remaining time (${seconds(remainingMs)} s) plus ${seconds(CLOCK_SKEW_ALLOWANCE_MS)} s of clock skew: ` +
      `claims would lapse while this run still holds them. Set it to at least the function timeout plus ${seconds(CLOCK_SKEW_ALLOWANCE_MS)} s (the construct sets timeout + 600).`,
  );
}

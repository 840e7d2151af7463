// The deploy's first run: a CloudFormation custom resource that runs the hunt once, right after the stack is created
// or its hunts, secret or schedule change, waits for the outcome and reports it as stack outputs. A wrong secret, an
// unreachable cluster or a missing privilege shows the day it is deployed. It never fails the deploy: the outcome is
// reported, and a failed run raises the "last run failed" alarm like any other.
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { CloudWatchClient, GetMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import type { CloudFormationCustomResourceEvent, Context } from 'aws-lambda';
import { bounded, reportFromError, reportFromSummary, type FirstRunReport } from '../core/first-run-report';
import type { RunSummary } from '../core/run-summary';

/** What the construct passes as the custom resource's properties (besides what only triggers a new run). */
export interface FirstRunProperties {
  readonly FunctionName: string;
  readonly LogGroupName: string;
  readonly MetricNamespace: string;
  readonly MetricName: string;
  readonly DimensionName: string;
  readonly DimensionValue: string;
}

export interface FirstRunDependencies {
  readonly lambda: Pick<LambdaClient, 'send'>;
  readonly cloudwatch: Pick<CloudWatchClient, 'send'>;
  readonly sleep: (ms: number) => Promise<void>;
  readonly now: () => number;
  /** Answers CloudFormation at the pre-signed response URL. */
  readonly respond: (url: string, body: string) => Promise<void>;
  readonly log: (message: string, details?: Record<string, unknown>) => void;
}

/** Time kept back from the provider's own timeout to answer CloudFormation. */
const ANSWER_MARGIN_MS = 60_000;
/** How long a successful run's SuccessfulRuns datapoint may take to become visible before the dead man's switch is created. */
const METRIC_WAIT_MS = 240_000;
const METRIC_POLL_MS = 15_000;

export function createFirstRunHandler(deps: FirstRunDependencies) {
  return async (event: CloudFormationCustomResourceEvent, context: Pick<Context, 'getRemainingTimeInMillis'>): Promise<void> => {
    const physicalResourceId = event.RequestType === 'Create' ? `${event.LogicalResourceId}-first-run` : event.PhysicalResourceId;
    const answer = (status: 'SUCCESS' | 'FAILED', reason: string, data: Record<string, string> = {}) =>
      deps.respond(
        event.ResponseURL,
        JSON.stringify({ Status: status, Reason: reason, PhysicalResourceId: physicalResourceId, StackId: event.StackId, RequestId: event.RequestId, LogicalResourceId: event.LogicalResourceId, Data: data }),
      );
    try {
      if (event.RequestType === 'Delete') return await answer('SUCCESS', 'nothing to delete');
      const properties = event.ResourceProperties as unknown as FirstRunProperties;
      if (!properties.FunctionName || !properties.LogGroupName) return await answer('FAILED', 'FunctionName and LogGroupName are required properties');
      const deadline = deps.now() + context.getRemainingTimeInMillis() - ANSWER_MARGIN_MS;
      const { report, requestId } = await runOnce(deps, properties, deadline);
      const logs = requestId
        ? `aws logs filter-log-events --log-group-name ${properties.LogGroupName} --filter-pattern '"${requestId}"'`
        : `aws logs tail ${properties.LogGroupName} --since 1h`;
      deps.log('first run', { outcome: report.outcome, details: report.details, requestId });
      await answer('SUCCESS', `first run ${report.outcome}`, { Outcome: report.outcome, Details: report.details, RequestId: requestId ?? 'none', Logs: logs });
    } catch (error) {
      // Only answering CloudFormation itself can fail here; say so in the provider's log, where the deploy points.
      deps.log('could not answer CloudFormation', { error: (error as Error).message });
      throw error;
    }
  };
}

class DeployWaitOver extends Error {}

async function runOnce(deps: FirstRunDependencies, properties: FirstRunProperties, deadline: number): Promise<{ report: FirstRunReport; requestId?: string }> {
  const abort = new AbortController();
  let timer: ReturnType<typeof setTimeout> | undefined;
  // The run goes on in Lambda when the deploy stops waiting; only the answer is given up.
  const waitOver = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      abort.abort();
      reject(new DeployWaitOver());
    }, Math.max(0, deadline - deps.now()));
  });
  let requestId: string | undefined;
  let report: FirstRunReport;
  try {
    const invocation = deps.lambda.send(
      new InvokeCommand({ FunctionName: properties.FunctionName, InvocationType: 'RequestResponse', Payload: Buffer.from(JSON.stringify({ source: 'nm-dispatcher-hunt-deploy' })) }),
      { abortSignal: abort.signal },
    );
    invocation.catch(() => undefined);
    const result = await Promise.race([invocation, waitOver]);
    requestId = result.$metadata.requestId;
    const payload = parsePayload(result.Payload);
    if (result.FunctionError) {
      const error = payload as { errorType?: string; errorMessage?: string } | undefined;
      report = reportFromError(error?.errorType, error?.errorMessage);
    } else if (isSummary(payload)) {
      report = reportFromSummary(payload);
    } else {
      report = { outcome: 'failed', details: 'the function answered without a run summary' };
    }
  } catch (error) {
    if (error instanceof DeployWaitOver || abort.signal.aborted) {
      return { report: { outcome: 'still running', details: 'the first run did not finish while the deploy waited; its outcome will be in the function logs and the alarms' } };
    }
    return { report: { outcome: 'not run', details: bounded(`the function could not be invoked: ${(error as Error).name}: ${(error as Error).message}`) } };
  } finally {
    clearTimeout(timer);
  }
  if (report.outcome === 'succeeded' && !(await successVisible(deps, properties, Math.min(deadline, deps.now() + METRIC_WAIT_MS)))) {
    report = { ...report, details: bounded(`${report.details} (its SuccessfulRuns metric was not visible yet: the dead man's switch may show no data for a few minutes)`) };
  }
  return { report, ...(requestId ? { requestId } : {}) };
}

/** Waits until CloudWatch shows the run's SuccessfulRuns datapoint, so the dead man's switch is created seeing it. */
async function successVisible(deps: FirstRunDependencies, properties: FirstRunProperties, until: number): Promise<boolean> {
  for (;;) {
    const now = deps.now();
    const result = await deps.cloudwatch.send(
      new GetMetricDataCommand({
        StartTime: new Date(now - 30 * 60_000),
        EndTime: new Date(now + 5 * 60_000),
        MetricDataQueries: [
          {
            Id: 'runs',
            MetricStat: {
              Metric: { Namespace: properties.MetricNamespace, MetricName: properties.MetricName, Dimensions: [{ Name: properties.DimensionName, Value: properties.DimensionValue }] },
              Period: 60,
              Stat: 'Sum',
            },
          },
        ],
      }),
    );
    if ((result.MetricDataResults?.[0]?.Values ?? []).some((value) => value > 0)) return true;
    if (deps.now() + METRIC_POLL_MS > until) return false;
    await deps.sleep(METRIC_POLL_MS);
  }
}

function parsePayload(payload: Uint8Array | undefined): unknown {
  if (!payload || payload.length === 0) return undefined;
  try {
    return JSON.parse(Buffer.from(payload).toString('utf8'));
  } catch {
    return undefined;
  }
}

function isSummary(value: unknown): value is RunSummary {
  return typeof value === 'object' && value !== null && 'outcome' in value && 'totals' in value && 'hunts' in value;
}

/** PUT to the pre-signed S3 URL, with no content type: the URL was signed without one. */
export function respondTo(url: string, body: string): Promise<void> {
  const target = new URL(url);
  const send = target.protocol === 'http:' ? httpRequest : httpsRequest;
  return new Promise((resolve, reject) => {
    const req = send(target, { method: 'PUT', headers: { 'content-type': '', 'content-length': Buffer.byteLength(body) } }, (res) => {
      res.resume();
      res.on('end', () => ((res.statusCode ?? 500) < 300 ? resolve() : reject(new Error(`CloudFormation's response URL answered ${res.statusCode}`))));
    });
    req.on('error', reject);
    req.end(body);
  });
}

let clients: { lambda: LambdaClient; cloudwatch: CloudWatchClient } | undefined;

export const handler = (event: CloudFormationCustomResourceEvent, context: Context) => {
  // One attempt: a retried Invoke after a dropped connection would start a second run.
  clients ??= { lambda: new LambdaClient({ maxAttempts: 1 }), cloudwatch: new CloudWatchClient({}) };
  return createFirstRunHandler({
    ...clients,
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
    now: Date.now,
    respond: respondTo,
    log: (message, details) => console.log(JSON.stringify({ message, ...details })),
  })(event, context);
};

import { Client, errors } from '@elastic/elasticsearch';
import { HuntQueryError, MalformedResponseError, UnknownColumnError, UnknownIndexError } from '../core/errors';
import type { HuntConfig } from '../core/hunt-config';
import { runHuntPhases, type EsqlAnswer } from '../core/hunt-phases';
import type { HuntRequest } from '../core/hunt-request';
import type { HuntRows } from '../core/esql-result';
import type { HuntDefinition } from '../core/hunts/hunt-definition';
import { catchUpLookbackDays } from '../core/catch-up';
import type { HuntRunner, HuntWindow } from '../core/ports';
import { DEFAULT_RETRY, withRetry, type RetryContext, type RetryPolicy } from '../core/retry';
import type { ElasticsearchConnection } from './elasticsearch-connection';

/**
 * The v9 client announces `compatible-with=9`, which 8.x servers reject. Both 8.x (8.15+) and 9.x
 * servers accept `compatible-with=8`, so every request declares that.
 */
export const COMPATIBILITY_MEDIA_TYPE = 'application/vnd.elasticsearch+json; compatible-with=8';

/**
 * The largest answer held in memory. A bigger one fails its hunt loudly ("too large to hold")
 * instead of dropping rows: an attacker who floods a hunt with megabyte command lines makes it
 * fail, which the error alarm reports.
 */
export const MAX_RESPONSE_BYTES = 128 * 1024 * 1024;

export function createElasticsearchClient(connection: ElasticsearchConnection, requestTimeoutMs = 60_000, maxResponseBytes = MAX_RESPONSE_BYTES): Client {
  const options = {
    auth: connection.apiKey !== undefined
      ? { apiKey: connection.apiKey }
      : { username: connection.username as string, password: connection.password as string },
    headers: { accept: COMPATIBILITY_MEDIA_TYPE, 'content-type': COMPATIBILITY_MEDIA_TYPE },
    // Retries live in one place (HuntRunner), where they are bounded by the Lambda's remaining time.
    maxRetries: 0,
    requestTimeout: requestTimeoutMs,
    compression: true,
    maxResponseSize: maxResponseBytes,
    maxCompressedResponseSize: maxResponseBytes,
    ...(connection.caFingerprint ? { caFingerprint: connection.caFingerprint } : {}),
  };
  return new Client(connection.cloudId !== undefined ? { ...options, cloud: { id: connection.cloudId } } : { ...options, node: connection.node as string });
}

export interface ElasticsearchHuntRunnerOptions {
  readonly retry?: RetryPolicy;
  /** Carries the deadline (epoch ms) past which no attempt or poll starts: the Lambda's remaining time. */
  readonly retryContext?: RetryContext;
  /** How long each async request waits server-side for the result before answering "still running". @default '20s' */
  readonly asyncWait?: string;
}

interface AsyncQueryResponse {
  id?: string;
  is_running?: boolean;
}

export class ElasticsearchHuntRunner implements HuntRunner {
  constructor(
    private readonly client: Client,
    private readonly config: HuntConfig,
    private readonly options: ElasticsearchHuntRunnerOptions = {},
  ) {}

  async run(hunt: HuntDefinition, window: HuntWindow = {}): Promise<HuntRows> {
    const lookbackDays = catchUpLookbackDays(this.config.lookbackDays, window.readSince, new Date(this.options.retryContext?.now?.() ?? Date.now()));
    return runHuntPhases(hunt, { ...this.config, lookbackDays }, (request) => this.execute(request, hunt));
  }

  /** One request with retries, the async fallback for slow queries, and errors an operator can act on. */
  private async execute(request: HuntRequest, hunt: HuntDefinition): Promise<EsqlAnswer> {
    const patterns = request.indexPatterns.join(', ');
    try {
      return await withRetry(
        () => this.query(request),
        // A timeout is not retried synchronously: the query is slow, not the network.
        (error) => !(error instanceof errors.TimeoutError) && describe(error, patterns).retryable,
        this.options.retry ?? DEFAULT_RETRY,
        this.options.retryContext,
      ).catch((error: unknown) => {
        if (error instanceof errors.TimeoutError) return this.queryAsync(request, hunt);
        throw error;
      });
    } catch (error) {
      if (error instanceof MalformedResponseError || error instanceof HuntQueryError) throw error;
      if (isUnknownIndex(error)) throw new UnknownIndexError(`${hunt.id}: no index matches ${patterns}`);
      const column = unknownColumn(error);
      if (column !== undefined) throw new UnknownColumnError(column, describe(error, patterns).message);
      throw describe(error, patterns);
    }
  }

  /**
   * Long hunts run through the async ES|QL API: submit, poll until done or until the deadline,
   * and always delete the stored result so nothing lingers on the cluster.
   */
  private async queryAsync(request: HuntRequest, hunt: HuntDefinition): Promise<EsqlAnswer> {
    const deadline = this.options.retryContext?.deadline ?? Date.now() + 5 * 60_000;
    const now = this.options.retryContext?.now ?? Date.now;
    const wait = this.options.asyncWait ?? '20s';
    const warnings: string[] = [];
    const submitted = await this.client.esql.asyncQuery(
      { ...esqlBody(request), wait_for_completion_timeout: wait, keep_on_completion: true, keep_alive: '15m' },
      { meta: true },
    );
    warnings.push(...warningsOf(submitted.headers));
    let response = submitted.body as AsyncQueryResponse;
    const id = response.id;
    try {
      while (response.is_running === true) {
        if (id === undefined) throw new HuntQueryError(`${hunt.id}: the async query is running but Elasticsearch gave no id to poll`, false);
        if (now() >= deadline) throw new HuntQueryError(`${hunt.id} did not finish within the run's time budget (async ES|QL query ${id}); narrow the lookback or raise the function timeout`, false);
        const polled = await this.client.esql.asyncQueryGet({ id, wait_for_completion_timeout: wait, format: 'json' } as never, { meta: true });
        warnings.push(...warningsOf(polled.headers));
        response = polled.body as AsyncQueryResponse;
      }
      return { body: response, warnings };
    } finally {
      if (id !== undefined) await this.client.esql.asyncQueryDelete({ id }).catch(() => undefined);
    }
  }

  private async query(request: HuntRequest): Promise<EsqlAnswer> {
    const result = await this.client.esql.query(esqlBody(request), { meta: true });
    return { body: result.body, warnings: warningsOf(result.headers) };
  }
}

/** The `_query` body shared by the sync and async APIs, in row format. */
function esqlBody(request: HuntRequest) {
  return {
    query: request.query,
    // The client's types do not model named parameters ([{ name: value }]) or a free-form filter; this is the one place that says so.
    params: request.params as unknown as number[],
    filter: request.filter as never,
    format: 'json' as const,
    columnar: false,
  };
}

/**
 * Every `Warning` header, as its text: `299 Elasticsearch-8.15.0-… "Line 3:9: evaluation of […] failed…"`
 * becomes `Line 3:9: evaluation of […] failed…`. Multi-valued fields in `==`, `IN`, `LIKE` and
 * single-value functions are null with such a warning: a row may have been dropped or mis-grouped.
 */
export function warningsOf(headers: Record<string, unknown> | undefined): string[] {
  const raw = headers?.warning;
  const values = (Array.isArray(raw) ? raw : raw === undefined || raw === null ? [] : [raw]).map(String);
  return values
    .flatMap((value) => value.match(/\d{3} [^ ]+ "(?:[^"\\]|\\.)*"(?: "[^"]*")?|[^,]+/g) ?? [])
    .map((warning) => warning.trim())
    .filter((warning) => warning !== '')
    .map((warning) => {
      const quoted = /^\d{3} [^ ]+ "((?:[^"\\]|\\.)*)"/.exec(warning);
      return quoted ? (quoted[1] as string).replace(/\\(.)/g, '$1') : warning;
    });
}

/** `verification_exception: … Unknown column [file.hash.sha256]`: the column, when that is the error. */
function unknownColumn(error: unknown): string | undefined {
  if (!(error instanceof errors.ResponseError) || error.meta.statusCode !== 400) return undefined;
  return /Unknown column \[([^\]]+)\]/.exec(reasonOf(error))?.[1];
}

/** Older servers answer `verification_exception: Unknown index [...]` when no index matches a pattern. */
function isUnknownIndex(error: unknown): boolean {
  return error instanceof errors.ResponseError && error.meta.statusCode === 400 && /Unknown index/i.test(reasonOf(error));
}

function reasonOf(error: InstanceType<typeof errors.ResponseError>): string {
  const body = error.meta.body as { error?: { type?: string; reason?: string; root_cause?: { reason?: string }[] } } | string | undefined;
  if (typeof body === 'string') return body.slice(0, 500);
  const reason = body?.error?.reason ?? body?.error?.root_cause?.[0]?.reason ?? '';
  return `${body?.error?.type ?? 'error'}: ${reason}`.slice(0, 500);
}

/** Turns a client error into an operator-facing message (never including credentials) and a retry verdict. */
function describe(error: unknown, indexPatterns: string): HuntQueryError {
  if (error instanceof HuntQueryError) return error;
  if (error instanceof errors.ResponseError) {
    const status = error.meta.statusCode ?? 0;
    const reason = reasonOf(error);
    switch (status) {
      case 401:
        return new HuntQueryError('Elasticsearch rejected the credentials (401): the API key or password in the secret is wrong, expired or revoked. Update the secret.', false, status);
      case 403:
        return new HuntQueryError(`Elasticsearch denied the query (403): the credentials need the "read" and "view_index_metadata" index privileges on ${indexPatterns}. Server said: ${reason}`, false, status);
      case 429:
      case 502:
      case 503:
      case 504:
        return new HuntQueryError(`Elasticsearch is overloaded or unavailable (${status}) and did not recover within the retry budget: ${reason}`, true, status);
      case 400:
        if (/media_type_header_exception/.test(reason)) {
          return new HuntQueryError(`Elasticsearch rejected the REST compatibility headers; only 8.15+ and 9.x are supported: ${reason}`, false, status);
        }
        if (/verification_exception/.test(reason)) {
          return new HuntQueryError(`ES|QL rejected the hunt on ${indexPatterns} (are the Elastic Defend mappings installed?): ${reason}`, false, status);
        }
        return new HuntQueryError(`Elasticsearch rejected the hunt (400): ${reason}`, false, status);
      default:
        return new HuntQueryError(`Elasticsearch answered ${status}: ${reason}`, status >= 500, status);
    }
  }
  if (error instanceof errors.TimeoutError) return new HuntQueryError('Elasticsearch did not answer before the request timeout', true);
  if (error instanceof errors.ConnectionError) return new HuntQueryError(`Cannot reach Elasticsearch: ${error.message}`, true);
  if (error instanceof errors.DeserializationError) return new HuntQueryError('Elasticsearch sent a response that is not valid JSON', true);
  if (error instanceof errors.ProductNotSupportedError) return new HuntQueryError('The server at the configured node is not Elasticsearch', false);
  if (error instanceof errors.RequestAbortedError && /bigger than the maximum allowed/.test(error.message)) {
    return new HuntQueryError(`The hunt's answer is larger than the ${Math.round(MAX_RESPONSE_BYTES / 1048576)} MB this function holds in memory (${error.message}); the hunt failed rather than drop rows. Look for hosts flooding the dispatcher directories with huge command lines, narrow the lookback or add exclusions.`, false);
  }
  return new HuntQueryError(error instanceof Error ? error.message : String(error), false);
}

import { EsqlError } from '../esql/errors';
import { evaluateEsql, type EsqlCluster, type EsqlResult } from '../esql/evaluate';
import type { MissingIndexBehaviour } from '../esql/index-resolution';
import { parseQuery } from '../esql/parser';
import type { RecordedRequest, StandInReply } from '../elasticsearch-stand-in';
import { AsyncQueries, parseTimeValue } from './async-queries';
import { concreteIndices, fieldCapsResponse, resolveIndexResponse } from './index-metadata';
import { DEFAULT_VERSIONS, nodeInfo, warningHeader, type NodeVersion } from './node-info';
import { hasIndexPrivilege, hasPrivilegesResponse, type Privileges } from './privileges';

/** An in-memory cluster the stand-in answers from, like Elasticsearch would. */
export interface ClusterBackendOptions {
  /** Indices with their mappings, and the stored events. */
  readonly data: EsqlCluster;
  /** Overrides of `GET /`'s version block (default: 8.15.5 or 9.1.5 after the major version). */
  readonly version?: Partial<NodeVersion>;
  readonly clusterName?: string;
  /** The cluster's clock, for `now()` and date math in the filter. @default Date.now */
  readonly now?: () => number;
  /** @default 'unknown-index-error' on 8.x, 'empty-result' on 9.x */
  readonly missingIndex?: MissingIndexBehaviour;
  /** The user's privileges; absent means a superuser. */
  readonly privileges?: Privileges;
  /** Report `is_partial: true` (a shard or remote cluster failed) for every query or some. */
  readonly isPartial?: boolean | ((body: Record<string, unknown>) => boolean);
  /** How long each ES|QL query takes to run, in ms (the sync API answers after it; the async API polls). @default 0 */
  readonly queryDurationMs?: number;
}

type Handler = (request: RecordedRequest, url: URL) => StandInReply | Promise<StandInReply>;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));

const errorReply = (status: number, type: string, reason: string): StandInReply => ({
  status,
  body: { error: { root_cause: [{ type, reason }], type, reason }, status },
});

/** Routes requests to the APIs an Elasticsearch cluster serves, backed by the local ES|QL evaluator. */
export function clusterApi(options: ClusterBackendOptions, major: 8 | 9): (request: RecordedRequest) => Promise<StandInReply> {
  const version: NodeVersion = { ...DEFAULT_VERSIONS[major], ...options.version };
  const now = options.now ?? Date.now;
  const missingIndex = options.missingIndex ?? (major === 8 ? 'unknown-index-error' : 'empty-result');
  const asyncQueries = new AsyncQueries();
  const user = options.privileges?.username ?? 'elastic';

  type Answer = { result: EsqlResult; took: number; partial: boolean };
  const withWarnings = (reply: StandInReply, result: EsqlResult): StandInReply =>
    result.warnings.length > 0 ? { ...reply, headers: { Warning: result.warnings.map((w) => warningHeader(version, w)) } } : reply;

  /** Evaluates over the indices the user may read: a concrete unauthorized name is a 403, patterns skip them. */
  const run = (body: Record<string, unknown>): Answer | { error: EsqlError } | { reply: StandInReply } => {
    const started = Date.now();
    try {
      const source = typeof body.query === 'string' ? parseQuery(body.query).commands[0] : undefined;
      const patterns = source?.kind === 'from' ? source.patterns : [];
      const denied = patterns.filter((p) => !p.includes('*') && !p.startsWith('-') && options.data.indices.has(p) && !hasIndexPrivilege(options.privileges, p, 'read'));
      if (denied.length > 0) {
        return { reply: errorReply(403, 'security_exception', `action [indices:data/read/esql] is unauthorized for user [${user}] with effective roles [stand-in] on indices [${denied.join(',')}], this action is granted by the index privileges [read,all]`) };
      }
      const readable = new Map([...options.data.indices].filter(([name]) => hasIndexPrivilege(options.privileges, name, 'read')));
      const events = options.data.events;
      const view: EsqlCluster = readable.size === options.data.indices.size ? options.data : {
        indices: readable,
        events: { *[Symbol.iterator]() { for (const e of events) if (readable.has(e.index)) yield e; } },
      };
      const result = evaluateEsql({ query: body.query as string, params: body.params, filter: body.filter, columnar: body.columnar === true }, view, { now: now(), missingIndex });
      const partial = typeof options.isPartial === 'function' ? options.isPartial(body) : options.isPartial === true;
      return { result, took: Date.now() - started, partial };
    } catch (error) {
      if (error instanceof EsqlError) return { error };
      throw error;
    }
  };

  /** The `_query` response body (docs: "ES|QL query API"). */
  const queryBody = (answer: Answer) => ({ took: answer.took, is_partial: answer.partial, columns: answer.result.columns, values: answer.result.values });

  const asyncAnswer = (id: string | undefined, outcome: Answer | { error: EsqlError }): StandInReply => {
    if ('error' in outcome) return { status: outcome.error.status, body: outcome.error.toResponseBody() };
    return withWarnings({ status: 200, body: { ...(id ? { id } : {}), is_running: false, ...queryBody(outcome) } }, outcome.result);
  };

  const routes: [string, RegExp, Handler][] = [
    ['GET', /^\/$/, () => ({ status: 200, body: nodeInfo(version, options.clusterName ?? 'stand-in-cluster') })],
    ['HEAD', /^\/$/, () => ({ status: 200, body: '', raw: true })],
    ['POST', /^\/_query$/, async (request) => {
      const outcome = run(request.body);
      await sleep(options.queryDurationMs ?? 0);
      if ('reply' in outcome) return outcome.reply;
      if ('error' in outcome) return { status: outcome.error.status, body: outcome.error.toResponseBody() };
      return withWarnings({ status: 200, body: queryBody(outcome) }, outcome.result);
    }],
    ['POST', /^\/_query\/async$/, async (request, url) => {
      const body = request.body;
      const wait = parseTimeValue(body.wait_for_completion_timeout ?? url.searchParams.get('wait_for_completion_timeout'), 1000);
      const keep = body.keep_on_completion === true || url.searchParams.get('keep_on_completion') === 'true';
      const outcome = run(body);
      if ('reply' in outcome) return outcome.reply;
      const duration = options.queryDurationMs ?? 0;
      const readyAt = Date.now() + duration;
      if (duration <= wait) {
        await sleep(duration);
        return asyncAnswer(keep ? asyncQueries.store(outcome, readyAt) : undefined, outcome);
      }
      const id = asyncQueries.store(outcome, readyAt);
      await sleep(wait);
      return { status: 200, body: { id, is_running: true } };
    }],
    ['GET', /^\/_query\/async\/([^/]+)$/, async (request, url) => {
      const id = decodeURIComponent(/^\/_query\/async\/([^/]+)$/.exec(url.pathname)![1]!);
      const stored = asyncQueries.get(id);
      if (!stored) return errorReply(404, 'resource_not_found_exception', id);
      const wait = parseTimeValue(url.searchParams.get('wait_for_completion_timeout'), Infinity);
      const remaining = stored.readyAt - Date.now();
      if (remaining > wait) {
        await sleep(wait);
        return { status: 200, body: { id, is_running: true } };
      }
      await sleep(remaining);
      return asyncAnswer(id, stored.outcome);
    }],
    ['DELETE', /^\/_query\/async\/([^/]+)$/, (_request, url) => {
      const id = decodeURIComponent(/^\/_query\/async\/([^/]+)$/.exec(url.pathname)![1]!);
      return asyncQueries.delete(id) ? { status: 200, body: { acknowledged: true } } : errorReply(404, 'resource_not_found_exception', id);
    }],
    ['GET|POST', /^\/_security\/user\/_has_privileges$/, (request) => ({ status: 200, body: hasPrivilegesResponse(options.privileges, request.body) })],
    ['GET|POST', /^\/_resolve\/index\/([^/]+)$/, (_request, url) => {
      const patterns = decodeURIComponent(/^\/_resolve\/index\/([^/]+)$/.exec(url.pathname)![1]!).split(',');
      const visible = new Map([...options.data.indices].filter(([name]) => hasIndexPrivilege(options.privileges, name, 'view_index_metadata')));
      const missing = patterns.filter((p) => !p.includes('*') && !p.startsWith('-') && !visible.has(p));
      if (missing.length > 0) return errorReply(404, 'index_not_found_exception', `no such index [${missing[0]}]`);
      return { status: 200, body: resolveIndexResponse(patterns, visible) };
    }],
    ['GET|POST', /^\/(?:([^/_][^/]*)\/)?_field_caps$/, (request, url) => {
      const fields = url.searchParams.get('fields') ?? (Array.isArray(request.body.fields) ? (request.body.fields as string[]).join(',') : undefined);
      if (!fields) return errorReply(400, 'action_request_validation_exception', 'Validation Failed: 1: specified fields can\'t be null or empty;');
      const target = /^\/([^/_][^/]*)\/_field_caps$/.exec(url.pathname)?.[1] ?? url.searchParams.get('index') ?? '*';
      const patterns = decodeURIComponent(target).split(',');
      const visible = new Map([...options.data.indices].filter(([name]) => hasIndexPrivilege(options.privileges, name, 'view_index_metadata')));
      const missing = patterns.filter((p) => !p.includes('*') && !p.startsWith('-') && !visible.has(p));
      if (missing.length > 0 && url.searchParams.get('ignore_unavailable') !== 'true') return errorReply(404, 'index_not_found_exception', `no such index [${missing[0]}]`);
      return { status: 200, body: fieldCapsResponse(fields.split(','), concreteIndices(patterns, visible), visible) };
    }],
  ];

  return async (request) => {
    const url = new URL(request.path, 'http://stand-in');
    for (const [methods, pattern, handler] of routes) {
      if (methods.split('|').includes(request.method) && pattern.test(url.pathname)) return handler(request, url);
    }
    return { status: 400, body: { error: `no handler found for uri [${url.pathname}] and method [${request.method}]`, status: 400 } };
  };
}

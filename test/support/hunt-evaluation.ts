import { clusterOf, evaluateEsql, type EsqlRequest } from '../../functions/local/esql';
import { NOW } from './esql';

/** A flat document: dotted field names, a list for a multi-valued field, undefined for a field the event does not have. */
export type Doc = Readonly<Record<string, string | readonly string[] | undefined>>;

/**
 * Whether one event yields a row from a whole hunt query, evaluated by the local ES|QL evaluator
 * with Elasticsearch's three-valued logic (a single recent event always passes the rarity thresholds).
 */
export function keeps(request: EsqlRequest, doc: Doc): boolean {
  const result = groupsOf(request, [doc]);
  if (result.length > 1) throw new Error(`one event gave ${result.length} rows`);
  return result.length === 1;
}

/** The rows a whole hunt query returns over these events, as objects keyed by column name. */
export function groupsOf(request: EsqlRequest, docs: readonly Doc[]): Record<string, unknown>[] {
  const index = /^\s*FROM\s+logs-endpoint\.events\.process/im.test(request.query) ? 'logs-endpoint.events.process-default' : 'logs-endpoint.events.file-default';
  const events = docs.map((doc) => {
    const source: Record<string, unknown> = { '@timestamp': new Date(NOW - 86_400_000).toISOString(), 'agent.id': 'agent-1' };
    for (const [key, value] of Object.entries(doc)) if (value !== undefined) source[key] = value;
    return { index, source };
  });
  const result = evaluateEsql(request, clusterOf(events), { now: NOW });
  return result.values.map((row) => Object.fromEntries(result.columns.map((c, i) => [c.name, row[i]])));
}

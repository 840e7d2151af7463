import { clusterOf, evaluateEsql, type EsqlRequest } from '../../functions/local/esql';
import { NOW } from './esql';

/** A flat document: dotted field names, undefined for a field the event does not have. */
export type Doc = Readonly<Record<string, string | undefined>>;

/**
 * Whether one event yields a row from a whole hunt query, evaluated by the local ES|QL evaluator
 * with Elasticsearch's three-valued logic (a single recent event always passes the rarity thresholds).
 */
export function keeps(request: EsqlRequest, doc: Doc): boolean {
  const index = /^\s*FROM\s+logs-endpoint\.events\.process/im.test(request.query) ? 'logs-endpoint.events.process-default' : 'logs-endpoint.events.file-default';
  const source: Record<string, unknown> = { '@timestamp': new Date(NOW - 86_400_000).toISOString(), 'agent.id': 'agent-1' };
  for (const [key, value] of Object.entries(doc)) if (value !== undefined) source[key] = value;
  const result = evaluateEsql(request, clusterOf([{ index, source }]), { now: NOW });
  if (result.values.length > 1) throw new Error(`one event gave ${result.values.length} rows`);
  return result.values.length === 1;
}

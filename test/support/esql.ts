import { clusterOf, evaluateEsql, type EsqlResult, type EvaluateOptions, type FieldMappings, type StoredEvent } from '../../functions/local/esql';

/** A fixed clock for every evaluator test. */
export const NOW = Date.parse('2026-01-10T12:00:00.000Z');

export interface QueryOptions extends EvaluateOptions {
  readonly events?: readonly StoredEvent[];
  /** Mappings of every index in `events` (default: Elastic Defend's). */
  readonly mappings?: FieldMappings;
  readonly params?: unknown;
  readonly filter?: unknown;
}

export function esql(query: string, options: QueryOptions = {}): EsqlResult {
  const events = options.events ?? [];
  const cluster = clusterOf(events, options.mappings ? () => options.mappings as FieldMappings : undefined);
  return evaluateEsql({ query, params: options.params, filter: options.filter }, cluster, { now: NOW, ...options });
}

/** Rows as objects keyed by column name, for readable assertions. */
export function rows(result: EsqlResult): Record<string, unknown>[] {
  return result.values.map((row) => Object.fromEntries(result.columns.map((c, i) => [c.name, row[i]])));
}

/** `name:type` per column, like a csv-spec header. */
export const header = (result: EsqlResult) => result.columns.map((c) => `${c.name}:${c.type}`);

/** The error an evaluation throws, as `type: reason`. */
export function errorOf(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    const e = error as { type?: string; message: string };
    return `${e.type ?? 'Error'}: ${e.message}`;
  }
  throw new Error('expected the evaluation to fail');
}

export const event = (index: string, source: Record<string, unknown>): StoredEvent => ({ index, source });

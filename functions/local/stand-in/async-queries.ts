import { randomBytes } from 'node:crypto';
import type { EsqlError } from '../esql/errors';
import type { EsqlResult } from '../esql/evaluate';

/** A finished query as the cluster answers it. */
export type QueryOutcome = { result: EsqlResult; took: number; partial: boolean } | { error: EsqlError };

/** Parses an Elasticsearch time value (`500ms`, `20s`, `1m`, `1h`, `5d`) into milliseconds. */
export function parseTimeValue(value: unknown, fallback: number): number {
  if (value === undefined || value === null || value === '') return fallback;
  const m = /^(\d+)(nanos|micros|ms|s|m|h|d)$/.exec(String(value));
  if (!m) throw new Error(`failed to parse setting [wait_for_completion_timeout] with value [${String(value)}] as a time value: unit is missing or unrecognized`);
  const unit = { nanos: 1e-6, micros: 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 }[m[2] as 'ms'];
  return Number(m[1]) * unit;
}

interface StoredQuery {
  readonly readyAt: number;
  readonly outcome: QueryOutcome;
}

/**
 * The async ES|QL API's stored queries (docs: "ES|QL async query API"): each "runs" until
 * `readyAt`, and stays until deleted.
 */
export class AsyncQueries {
  private readonly queries = new Map<string, StoredQuery>();

  /** Stores a query until it is deleted (the stand-in does not expire `keep_alive`). */
  store(outcome: StoredQuery['outcome'], readyAt: number): string {
    // Elasticsearch ids are URL-safe base64 of a document id and a task id.
    const id = randomBytes(30).toString('base64url');
    this.queries.set(id, { readyAt, outcome });
    return id;
  }

  get(id: string): StoredQuery | undefined {
    return this.queries.get(id);
  }

  delete(id: string): boolean {
    return this.queries.delete(id);
  }

  get size(): number {
    return this.queries.size;
  }
}

import { ELASTIC_DEFEND_MAPPINGS, EsqlError, evaluateEsql, type EsqlRequest, type FieldMappings } from '../esql';
import { FILE_INDEX, PROCESS_INDEX, ingestedBy } from '../fleet';
import type { StoredEvent } from '../esql';
import { startElasticsearchStandIn, type ElasticsearchStandIn, type StandInReply } from '../elasticsearch-stand-in';

/** Events held in memory, or regenerated for every query (large fleets, bounded memory, slower). */
export type FleetEvents = readonly StoredEvent[] | (() => Iterable<StoredEvent>);

/** What the cluster did for one `_query`: the evaluator's time apart from the handler's. */
export interface QueryRecord {
  readonly query: string;
  readonly rows: number;
  readonly evaluatorMs: number;
  readonly warnings: readonly string[];
}

export interface FleetCluster {
  readonly standIn: ElasticsearchStandIn;
  /** Moves the cluster's clock: it then holds only the events ingested by `at`. */
  setTime(at: Date): void;
  /** Queries answered since the last call. */
  takeQueries(): QueryRecord[];
  close(): Promise<void>;
}

/**
 * An Elasticsearch stand-in whose `_query` evaluates the real ES|QL text over generated events,
 * as they stood at the cluster's current time (late events appear only once ingested).
 */
export async function startFleetCluster(events: FleetEvents, majorVersion: 8 | 9 = 9): Promise<FleetCluster> {
  const indices = new Map<string, FieldMappings>([FILE_INDEX, PROCESS_INDEX].map((index) => [index, ELASTIC_DEFEND_MAPPINGS]));
  let now = new Date();
  let queries: QueryRecord[] = [];
  const visible = typeof events === 'function' ? streamed(events, () => now) : materialised(events, () => now);
  const standIn = await startElasticsearchStandIn({
    majorVersion,
    respond: ({ method, path, body }): StandInReply => {
      if (method !== 'POST' || !/^\/_query(\?|$)/.test(path)) {
        return { status: 400, body: { error: { type: 'illegal_argument_exception', reason: `the fleet cluster answers POST /_query only, not ${method} ${path}` }, status: 400 } };
      }
      const started = performance.now();
      try {
        const result = evaluateEsql(body as unknown as EsqlRequest, { indices, events: visible() }, { now: now.getTime() });
        queries.push({ query: String(body.query), rows: result.values.length, evaluatorMs: performance.now() - started, warnings: result.warnings });
        return { status: 200, body: { took: Math.round(performance.now() - started), is_partial: false, columns: result.columns, values: result.values } };
      } catch (error) {
        if (!(error instanceof EsqlError)) throw error;
        return { status: error.status, body: error.toResponseBody() };
      }
    },
  });
  return {
    standIn,
    setTime: (at) => {
      now = at;
    },
    takeQueries: () => {
      const taken = queries;
      queries = [];
      return taken;
    },
    close: () => standIn.close(),
  };
}

/** Sorted by ingestion once, so each query reads a prefix instead of testing every event. */
function materialised(events: readonly StoredEvent[], now: () => Date): () => Iterable<StoredEvent> {
  const byIngestion = events.map((event) => ({ event, ingestedMs: ingestedMs(event) })).sort((a, b) => a.ingestedMs - b.ingestedMs);
  return () => {
    const count = firstAfter(byIngestion, now().getTime());
    return { *[Symbol.iterator]() { for (let i = 0; i < count; i++) yield byIngestion[i]!.event; } };
  };
}

function streamed(generate: () => Iterable<StoredEvent>, now: () => Date): () => Iterable<StoredEvent> {
  return () => ({ *[Symbol.iterator]() { for (const event of generate()) if (ingestedBy(event, now())) yield event; } });
}

function ingestedMs(event: StoredEvent): number {
  const ingested = (event.source.event as { ingested?: unknown } | undefined)?.ingested;
  return typeof ingested === 'string' ? Date.parse(ingested) : Number.POSITIVE_INFINITY;
}

/** Index of the first entry ingested after `ms`: the number of events the cluster holds at `ms`. */
function firstAfter(sorted: readonly { ingestedMs: number }[], ms: number): number {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (sorted[mid]!.ingestedMs <= ms) low = mid + 1;
    else high = mid;
  }
  return low;
}

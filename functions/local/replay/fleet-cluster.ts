import { ELASTIC_DEFEND_MAPPINGS, type FieldMappings } from '../esql';
import { FILE_INDEX, PROCESS_INDEX, ingestedBy } from '../fleet';
import type { StoredEvent } from '../esql';
import { startElasticsearchStandIn, type ElasticsearchStandIn } from '../elasticsearch-stand-in';

/** Events held in memory, or regenerated for every query (large fleets, bounded memory, slower). */
export type FleetEvents = readonly StoredEvent[] | (() => Iterable<StoredEvent>);

/** One `_query` the cluster evaluated: the evaluator's time, apart from the handler's. */
export interface QueryRecord {
  readonly evaluatorMs: number;
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
 * The Elasticsearch stand-in, answering as a cluster over generated events as they stood at the
 * cluster's current time (late events appear only once ingested).
 */
export async function startFleetCluster(events: FleetEvents, majorVersion: 8 | 9 = 9): Promise<FleetCluster> {
  const indices = new Map<string, FieldMappings>([FILE_INDEX, PROCESS_INDEX].map((index) => [index, ELASTIC_DEFEND_MAPPINGS]));
  let now = new Date();
  let queries: QueryRecord[] = [];
  const visible = typeof events === 'function' ? streamed(events, () => now) : materialised(events, () => now);
  // Each query reads the events once: the time from its first read to its last is the evaluator's.
  const timed: Iterable<StoredEvent> = {
    *[Symbol.iterator]() {
      const started = performance.now();
      try {
        yield* visible();
      } finally {
        queries.push({ evaluatorMs: performance.now() - started });
      }
    },
  };
  const standIn = await startElasticsearchStandIn({ majorVersion, cluster: { data: { indices, events: timed }, now: () => now.getTime() } });
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

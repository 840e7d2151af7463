/** An event as Elasticsearch stores it: the index it lives in and its nested `_source`. */
export interface StoredEvent {
  readonly index: string;
  /**
   * Nested as Elastic Defend writes it; arrays are multi-valued fields (`event.type`, `process.args`).
   * Events share frozen parts (host, agent, argument lists): copy before changing anything.
   */
  readonly source: Record<string, unknown>;
}

/** Elastic Defend's data streams in the `default` namespace. */
export const PROCESS_INDEX = 'logs-endpoint.events.process-default';
export const FILE_INDEX = 'logs-endpoint.events.file-default';

/** When the cluster had the event: a replay at `runAt` may only see events ingested by then. */
export function ingestedBy(event: StoredEvent, runAt: Date): boolean {
  const ingested = (event.source.event as { ingested?: string } | undefined)?.ingested;
  return ingested !== undefined && Date.parse(ingested) <= runAt.getTime();
}

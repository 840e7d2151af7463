import type { EsqlCluster } from './evaluate';
import { ELASTIC_DEFEND_MAPPINGS, type FieldMappings } from './mappings';
import type { StoredEvent } from './stored-event';

/** A cluster holding these events, each index mapped like Elastic Defend unless told otherwise. */
export function clusterOf(events: readonly StoredEvent[], mappingsFor: (index: string) => FieldMappings = () => ELASTIC_DEFEND_MAPPINGS): EsqlCluster {
  const indices = new Map<string, FieldMappings>();
  for (const e of events) if (!indices.has(e.index)) indices.set(e.index, mappingsFor(e.index));
  return { indices, events };
}

import { MalformedResponseError } from './errors';
import { isUtcTimestamp } from './timestamp';
import { fingerprintOf, type Finding } from './finding';
import { STATS_COLUMNS, type HuntDefinition } from './hunts/hunt-definition';

/** What one hunt's `POST /_query` produced, after parsing. */
export interface HuntRows {
  readonly findings: Finding[];
  /** The result held exactly `rowLimit` rows: more may exist. */
  readonly truncated: boolean;
  /** How many rows the cap cut, when the runner could count them. */
  readonly rowsCut?: number;
  /** Elasticsearch reported `is_partial: true` (a shard or remote cluster failed). */
  readonly partial: boolean;
  /** No index matched the hunt's patterns: the response had no columns. */
  readonly noData: boolean;
  readonly tookMs?: number;
}

interface Column {
  name: string;
  type: string;
}

/** Parses the row-oriented `_query` JSON by column name; column order is not relied upon. */
export function parseHuntResponse(hunt: HuntDefinition, body: unknown): HuntRows {
  if (typeof body !== 'object' || body === null) throw new MalformedResponseError(`${hunt.id}: response is not a JSON object`);
  const { columns, values, is_partial: isPartial, took } = body as Record<string, unknown>;
  if (!Array.isArray(columns) || !Array.isArray(values)) {
    throw new MalformedResponseError(`${hunt.id}: response lacks "columns" or "values" arrays`);
  }
  const partial = isPartial === true;
  const tookMs = typeof took === 'number' ? took : undefined;
  if (columns.length === 0) {
    if (values.length > 0) throw new MalformedResponseError(`${hunt.id}: rows without columns`);
    return { findings: [], truncated: false, partial, noData: true, tookMs };
  }
  const index = columnIndex(hunt, columns);
  const findings = values.map((row, rowNumber) => {
    if (!Array.isArray(row) || row.length !== columns.length) {
      throw new MalformedResponseError(`${hunt.id}: row ${rowNumber} has ${Array.isArray(row) ? row.length : 'no'} cells for ${columns.length} columns`);
    }
    return toFinding(hunt, row, index, rowNumber);
  });
  return { findings, truncated: values.length >= hunt.rowLimit, partial, noData: false, tookMs };
}

function columnIndex(hunt: HuntDefinition, columns: unknown[]): Map<string, number> {
  const index = new Map<string, number>();
  columns.forEach((column, i) => {
    const name = (column as Partial<Column> | null)?.name;
    if (typeof name !== 'string') throw new MalformedResponseError(`${hunt.id}: column ${i} has no name`);
    index.set(name, i);
  });
  const missing = [...hunt.identityFields, ...STATS_COLUMNS].filter((name) => !index.has(name));
  if (missing.length > 0) throw new MalformedResponseError(`${hunt.id}: response lacks columns ${missing.join(', ')}`);
  return index;
}

function toFinding(hunt: HuntDefinition, row: unknown[], index: Map<string, number>, rowNumber: number): Finding {
  const cell = (name: string) => row[index.get(name) as number];
  const identity: Record<string, string | null> = {};
  for (const field of hunt.identityFields) identity[field] = identityValue(cell(field), hunt.id, field, rowNumber);
  return {
    huntId: hunt.id,
    fingerprint: fingerprintOf(hunt, identity),
    identity,
    eventCount: count(cell('event_count'), hunt.id, 'event_count', rowNumber),
    agentCount: count(cell('agent_count'), hunt.id, 'agent_count', rowNumber),
    firstSeen: timestamp(cell('first_seen'), hunt.id, 'first_seen', rowNumber),
    lastSeen: timestamp(cell('last_seen'), hunt.id, 'last_seen', rowNumber),
    hostNames: stringValues(cell('host_names')),
    agentIds: stringValues(cell('agent_ids')),
  };
}

/** Grouping keys are single values; a multi-valued cell is kept whole as its JSON text so nothing is lost. */
function identityValue(value: unknown, huntId: string, field: string, rowNumber: number): string | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string') return value;
  if (Array.isArray(value) && value.every((v) => typeof v === 'string')) return JSON.stringify(value);
  throw new MalformedResponseError(`${huntId}: row ${rowNumber} column ${field} is ${typeof value}, expected a string`);
}

function count(value: unknown, huntId: string, column: string, rowNumber: number): number {
  if (typeof value === 'number' && Number.isFinite(value) && value >= 0) return value;
  throw new MalformedResponseError(`${huntId}: row ${rowNumber} column ${column} is not a count`);
}

function timestamp(value: unknown, huntId: string, column: string, rowNumber: number): string | null {
  if (value === null || value === undefined) return null;
  if (isUtcTimestamp(value)) return value;
  throw new MalformedResponseError(`${huntId}: row ${rowNumber} column ${column} is not an ISO-8601 UTC timestamp`);
}

/** `VALUES()` yields a scalar for one value and an array for several; nulls are dropped. */
function stringValues(value: unknown): string[] {
  const list = Array.isArray(value) ? value : [value];
  return list.filter((v): v is string | number => typeof v === 'string' || typeof v === 'number').map(String);
}

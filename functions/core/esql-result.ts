import { MalformedResponseError } from './errors';
import { isUtcTimestamp } from './timestamp';
import type { Finding } from './finding';
import { STATS_COLUMNS, type HuntDefinition } from './hunts/hunt-definition';

/** What one hunt produced in one run, after parsing and expanding its rare groups into findings. */
export interface HuntRows {
  readonly findings: Finding[];
  /** Rare groups returned (before expansion into findings). */
  readonly rows: number;
  /** The rare-group query came back with ROW_CAP rows and more rare groups exist. */
  readonly truncated: boolean;
  /** How many rare groups the cap cut, counted when the answer came back full. */
  readonly rowsCut?: number;
  /** Elasticsearch reported `is_partial: true` (a shard or remote cluster failed). */
  readonly partial: boolean;
  /** No index matched the hunt's patterns: the response had no columns. */
  readonly noData: boolean;
  /** `Warning` headers of every response and notices about dropped sample columns, each once. */
  readonly warnings: readonly string[];
  readonly tookMs?: number;
}

/** One rare group of the rarity query: its group values, counts and time range. */
export interface RareGroup {
  /** Values of the hunt's groupBy columns, in order: the join key with the samples. */
  readonly values: readonly (string | null)[];
  readonly eventCount: number;
  readonly agentCount: number;
  readonly firstSeen: string | null;
  readonly lastSeen: string | null;
}

export interface ParsedGroups {
  readonly groups: RareGroup[];
  readonly partial: boolean;
  readonly noData: boolean;
  readonly tookMs?: number;
}

interface Table {
  readonly index: Map<string, number>;
  readonly rows: unknown[][];
  readonly partial: boolean;
  readonly noData: boolean;
  readonly tookMs?: number;
}

/** The join key of a group: JSON of its groupBy values (injective, null-aware). */
export const groupKeyOf = (values: readonly (string | null)[]): string => JSON.stringify(values);

/** Parses the row-oriented `_query` JSON by column name; column order is not relied upon. */
function parseTable(huntId: string, body: unknown, required: readonly string[]): Table {
  if (typeof body !== 'object' || body === null) throw new MalformedResponseError(`${huntId}: response is not a JSON object`);
  const { columns, values, is_partial: isPartial, took } = body as Record<string, unknown>;
  if (!Array.isArray(columns) || !Array.isArray(values)) {
    throw new MalformedResponseError(`${huntId}: response lacks "columns" or "values" arrays`);
  }
  const partial = isPartial === true;
  const tookMs = typeof took === 'number' ? took : undefined;
  if (columns.length === 0) {
    if (values.length > 0) throw new MalformedResponseError(`${huntId}: rows without columns`);
    return { index: new Map(), rows: [], partial, noData: true, tookMs };
  }
  const index = new Map<string, number>();
  columns.forEach((column, i) => {
    const name = (column as { name?: unknown } | null)?.name;
    if (typeof name !== 'string') throw new MalformedResponseError(`${huntId}: column ${i} has no name`);
    index.set(name, i);
  });
  const missing = required.filter((name) => !index.has(name));
  if (missing.length > 0) throw new MalformedResponseError(`${huntId}: response lacks columns ${missing.join(', ')}`);
  values.forEach((row, rowNumber) => {
    if (!Array.isArray(row) || row.length !== columns.length) {
      throw new MalformedResponseError(`${huntId}: row ${rowNumber} has ${Array.isArray(row) ? row.length : 'no'} cells for ${columns.length} columns`);
    }
  });
  return { index, rows: values as unknown[][], partial, noData: false, tookMs };
}

/** Phase 1: the rare groups with counts and first/last seen. */
export function parseRareGroups(hunt: HuntDefinition, body: unknown): ParsedGroups {
  const table = parseTable(hunt.id, body, [...hunt.groupBy, ...STATS_COLUMNS]);
  const groups = table.rows.map((row, rowNumber) => {
    const cell = (name: string) => row[table.index.get(name) as number];
    return {
      values: hunt.groupBy.map((field) => groupValue(cell(field), hunt.id, field, rowNumber)),
      eventCount: count(cell('event_count'), hunt.id, 'event_count', rowNumber),
      agentCount: count(cell('agent_count'), hunt.id, 'agent_count', rowNumber),
      firstSeen: timestamp(cell('first_seen'), hunt.id, 'first_seen', rowNumber),
      lastSeen: timestamp(cell('last_seen'), hunt.id, 'last_seen', rowNumber),
    };
  });
  return { groups, partial: table.partial, noData: table.noData, tookMs: table.tookMs };
}

/** Samples of one rare group, by sample column name. */
export type GroupSamples = Readonly<Record<string, readonly string[]>>;

/** Phase 2: samples per group key; `sampleNames` are the columns the request asked for. */
export function parseGroupSamples(hunt: HuntDefinition, body: unknown, sampleNames: readonly string[]): { samples: Map<string, GroupSamples>; partial: boolean } {
  const table = parseTable(hunt.id, body, [...hunt.groupBy, ...sampleNames]);
  const samples = new Map<string, GroupSamples>();
  table.rows.forEach((row, rowNumber) => {
    const cell = (name: string) => row[table.index.get(name) as number];
    const key = groupKeyOf(hunt.groupBy.map((field) => groupValue(cell(field), hunt.id, field, rowNumber)));
    samples.set(key, Object.fromEntries(sampleNames.map((name) => [name, stringValues(cell(name))])));
  });
  return { samples, partial: table.partial };
}

/** The number of rare groups in all (the count query). */
export function parseRareGroupCount(huntId: string, body: unknown): number {
  const table = parseTable(huntId, body, ['rare_groups']);
  const value = table.rows[0]?.[table.index.get('rare_groups') as number] ?? 0;
  return count(value, huntId, 'rare_groups', 0);
}

/** Grouping keys are single values; a multi-valued cell is kept whole as its JSON text so nothing is lost. */
function groupValue(value: unknown, huntId: string, field: string, rowNumber: number): string | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string') return value;
  if (Array.isArray(value) && value.every((v) => typeof v === 'string')) return JSON.stringify(value);
  throw new MalformedResponseError(`${huntId}: row ${rowNumber} column ${field} is ${typeof value}, expected a string`);
}

function count(value: unknown, huntId: string, column: string, rowNumber: number): number {
  if (typeof value === 'number' && Number.isInteger(value) && value >= 0) return value;
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

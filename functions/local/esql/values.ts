/**
 * ES|QL's runtime values. A cell is null, one value, or a multi-value (an array of two or more):
 * Elasticsearch never distinguishes an empty list from null or a one-element list from its element.
 */
export type DataType =
  | 'keyword'
  | 'text'
  | 'integer'
  | 'long'
  | 'double'
  | 'boolean'
  | 'date'
  | 'date_period'
  | 'time_duration'
  | 'null';

/** A calendar span (`30 days`, `1 month`): months and days, as Java's Period. */
export class DatePeriod {
  constructor(
    readonly months: number,
    readonly days: number,
  ) {}
}

/** An exact span (`1 hour`), in milliseconds, as Java's Duration. */
export class TimeDuration {
  constructor(readonly ms: number) {}
}

export type Scalar = string | number | boolean | DatePeriod | TimeDuration;
export type Value = null | Scalar | Scalar[];

export const STRING_TYPES: ReadonlySet<DataType> = new Set(['keyword', 'text']);
export const NUMERIC_TYPES: ReadonlySet<DataType> = new Set(['integer', 'long', 'double']);

export const isString = (t: DataType) => STRING_TYPES.has(t);
export const isNumeric = (t: DataType) => NUMERIC_TYPES.has(t);

/** Collapses a list of values into a cell: [] is null, [x] is x. */
export function cell(values: readonly Scalar[]): Value {
  if (values.length === 0) return null;
  if (values.length === 1) return values[0] as Scalar;
  return [...values];
}

export const valuesOf = (value: Value): Scalar[] => (value === null ? [] : Array.isArray(value) ? value : [value]);

/**
 * Lucene orders terms by their UTF-8 bytes, which is code point order; JavaScript's `<` compares
 * UTF-16 units and disagrees for characters above U+FFFF.
 */
export function compareStrings(a: string, b: string): number {
  if (a === b) return 0;
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.codePointAt(i) as number;
    const y = b.codePointAt(i) as number;
    if (x !== y) return x < y ? -1 : 1;
    if (x > 0xffff) i++;
  }
  return a.length - b.length;
}

/** Orders two non-null scalars of one (comparable) type. */
export function compareScalars(a: Scalar, b: Scalar): number {
  if (typeof a === 'string' && typeof b === 'string') return compareStrings(a, b);
  if (typeof a === 'boolean' && typeof b === 'boolean') return a === b ? 0 : a ? 1 : -1;
  if (typeof a === 'number' && typeof b === 'number') return a < b ? -1 : a > b ? 1 : 0;
  throw new Error(`cannot compare ${typeof a} with ${typeof b}`);
}

export const isInteger32 = (n: number) => Number.isInteger(n) && n >= -2147483648 && n <= 2147483647;
/** 2^63: a long lies in [-2^63, 2^63). Doubles hold longs exactly only up to 2^53; counts and epoch millis fit. */
const TWO_63 = 2 ** 63;
export const inLongRange = (n: number) => n >= -TWO_63 && n < TWO_63;

/** Dates travel as epoch milliseconds and print like Elasticsearch: `2024-05-01T12:00:00.000Z`. */
export function formatDate(ms: number): string {
  return new Date(ms).toISOString();
}

/** Parses what a `date` field or an ES|QL date string accepts: ISO 8601 (strict_date_optional_time) or epoch millis. */
export function parseDate(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? Math.trunc(value) : undefined;
  if (typeof value !== 'string') return undefined;
  // The common shape (2026-01-10T12:00:00.000Z): Date.parse reads it as UTC, exactly.
  if ((value.length === 24 || value.length === 20) && value.charCodeAt(value.length - 1) === 90 && value.charCodeAt(10) === 84) {
    const t = Date.parse(value);
    if (!Number.isNaN(t)) return t;
  }
  if (/^-?\d+$/.test(value)) return Number(value);
  const iso = /^(\d{4})(?:-(\d{2})(?:-(\d{2})(?:[T ](\d{2})(?::(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?)?(Z|[+-]\d{2}:?\d{2})?)?)?)?$/.exec(value);
  if (!iso) return undefined;
  const [, y, mo = '01', d = '01', h = '00', mi = '00', s = '00', frac = '0', zone = 'Z'] = iso;
  const ms = Number(frac.padEnd(3, '0').slice(0, 3));
  let t = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s), ms);
  if (zone !== 'Z') {
    const sign = zone.startsWith('-') ? -1 : 1;
    const digits = zone.slice(1).replace(':', '');
    t -= sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2))) * 60_000;
  }
  return Number.isNaN(t) ? undefined : t;
}

/** The JSON a `_query` response carries for one cell. */
export function toJson(value: Value, type: DataType): unknown {
  if (value === null) return null;
  const one = (v: Scalar) => (type === 'date' ? formatDate(v as number) : v);
  return Array.isArray(value) ? value.map(one) : one(value);
}

/** Adds a calendar or exact span to an instant, in UTC (Elasticsearch's default zone for ES|QL). */
export function addSpan(ms: number, span: DatePeriod | TimeDuration, sign: 1 | -1): number {
  if (span instanceof TimeDuration) return ms + sign * span.ms;
  const d = new Date(ms);
  if (span.months !== 0) {
    // Java's plusMonths clamps to the last day of the month (Jan 31 + 1 month = Feb 28/29).
    const day = d.getUTCDate();
    d.setUTCDate(1);
    d.setUTCMonth(d.getUTCMonth() + sign * span.months);
    const last = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 0)).getUTCDate();
    d.setUTCDate(Math.min(day, last));
  }
  return d.getTime() + sign * span.days * 86_400_000;
}

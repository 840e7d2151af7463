import { EsqlError } from './errors';
import { parseDate } from './values';

/**
 * Elasticsearch date math in UTC (docs: "Date math"): an anchor (`now` or `<date>||`) followed by
 * `+n<unit>`, `-n<unit>` and `/<unit>` rounding. `roundUp` is how range queries round for
 * `gt`/`lte` (to the last millisecond of the unit) versus `gte`/`lt` (to its first).
 */
export function resolveDateMath(expression: unknown, now: number, roundUp: boolean): number {
  if (typeof expression === 'number') return Math.trunc(expression);
  if (typeof expression !== 'string') throw bad(expression);
  let rest: string;
  let t: number;
  if (expression.startsWith('now')) {
    t = now;
    rest = expression.slice(3);
  } else {
    const split = expression.indexOf('||');
    const anchor = split < 0 ? expression : expression.slice(0, split);
    const parsed = parseDate(anchor);
    if (parsed === undefined) throw bad(expression);
    t = parsed;
    rest = split < 0 ? '' : expression.slice(split + 2);
  }
  const ops = /([+-])(\d+)([yMwdhHms])|\/([yMwdhHms])/gy;
  let consumed = 0;
  for (let m = ops.exec(rest); m; m = ops.exec(rest)) {
    consumed = ops.lastIndex;
    if (m[4]) t = round(t, m[4], roundUp);
    else t = add(t, (m[1] === '-' ? -1 : 1) * Number(m[2]), m[3] as string);
  }
  if (consumed !== rest.length) throw bad(expression);
  return t;
}

const bad = (v: unknown) => new EsqlError('parsing_exception', `failed to parse date field [${String(v)}] with format [strict_date_optional_time||epoch_millis]`);

function add(t: number, n: number, unit: string): number {
  const d = new Date(t);
  switch (unit) {
    case 'y':
      d.setUTCFullYear(d.getUTCFullYear() + n);
      return d.getTime();
    case 'M':
      d.setUTCMonth(d.getUTCMonth() + n);
      return d.getTime();
    case 'w':
      return t + n * 7 * 86_400_000;
    case 'd':
      return t + n * 86_400_000;
    case 'h':
    case 'H':
      return t + n * 3_600_000;
    case 'm':
      return t + n * 60_000;
    default:
      return t + n * 1000;
  }
}

function round(t: number, unit: string, up: boolean): number {
  const d = new Date(t);
  let start: number;
  let next: number;
  const y = d.getUTCFullYear();
  const mo = d.getUTCMonth();
  const day = d.getUTCDate();
  switch (unit) {
    case 'y':
      start = Date.UTC(y, 0, 1);
      next = Date.UTC(y + 1, 0, 1);
      break;
    case 'M':
      start = Date.UTC(y, mo, 1);
      next = Date.UTC(y, mo + 1, 1);
      break;
    case 'w':
      start = Date.UTC(y, mo, day) - ((d.getUTCDay() + 6) % 7) * 86_400_000;
      next = start + 7 * 86_400_000;
      break;
    case 'd':
      start = Date.UTC(y, mo, day);
      next = start + 86_400_000;
      break;
    case 'h':
    case 'H':
      start = Math.floor(t / 3_600_000) * 3_600_000;
      next = start + 3_600_000;
      break;
    case 'm':
      start = Math.floor(t / 60_000) * 60_000;
      next = start + 60_000;
      break;
    default:
      start = Math.floor(t / 1000) * 1000;
      next = start + 1000;
  }
  return up ? next - 1 : start;
}

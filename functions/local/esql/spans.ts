import { DatePeriod, TimeDuration } from './values';

/**
 * ES|QL's time span units (`1 day`, `2 hours`, and `"30 days"::DATE_PERIOD`): calendar units
 * make a DATE_PERIOD, clock units a TIME_DURATION.
 */
const PERIOD_UNITS: Record<string, [months: number, days: number]> = {
  year: [12, 0], years: [12, 0], yr: [12, 0], y: [12, 0],
  quarter: [3, 0], quarters: [3, 0], q: [3, 0],
  month: [1, 0], months: [1, 0], mo: [1, 0],
  week: [0, 7], weeks: [0, 7], w: [0, 7],
  day: [0, 1], days: [0, 1], d: [0, 1],
};

const DURATION_UNITS: Record<string, number> = {
  hour: 3_600_000, hours: 3_600_000, h: 3_600_000,
  minute: 60_000, minutes: 60_000, min: 60_000,
  second: 1000, seconds: 1000, sec: 1000, s: 1000,
  millisecond: 1, milliseconds: 1, ms: 1,
};

export function spanFromUnit(amount: number, unit: string): DatePeriod | TimeDuration | undefined {
  const u = unit.toLowerCase();
  const period = PERIOD_UNITS[u];
  if (period) return new DatePeriod(period[0] * amount, period[1] * amount);
  const ms = DURATION_UNITS[u];
  return ms === undefined ? undefined : new TimeDuration(ms * amount);
}

/** Parses `"30 days"` / `"1 hour"`; undefined when the text is not `<integer> <unit>`. */
export function parseSpan(text: string): DatePeriod | TimeDuration | undefined {
  const m = /^\s*(-?\d+)\s*([A-Za-z]+)\s*$/.exec(text);
  return m ? spanFromUnit(Number(m[1]), m[2] as string) : undefined;
}

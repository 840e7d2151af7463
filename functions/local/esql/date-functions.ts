import { unsupported } from './errors';
import { singleValueFunction, type ScalarFunction } from './function-helpers';
import { DatePeriod, TimeDuration } from './values';

/**
 * DATE_TRUNC(interval, date) in UTC: fixed durations round down from the epoch; calendar periods
 * of one year, quarter, month, week (Monday) or day round to that unit. Other periods are rejected.
 */
function truncate(interval: DatePeriod | TimeDuration, ms: number): number {
  if (interval instanceof TimeDuration) {
    if (interval.ms <= 0) throw unsupported(undefined, 'a zero or negative DATE_TRUNC interval');
    return Math.floor(ms / interval.ms) * interval.ms;
  }
  const d = new Date(ms);
  const y = d.getUTCFullYear();
  const m = d.getUTCMonth();
  if (interval.days === 0 && interval.months === 12) return Date.UTC(y, 0, 1);
  if (interval.days === 0 && interval.months === 3) return Date.UTC(y, m - (m % 3), 1);
  if (interval.days === 0 && interval.months === 1) return Date.UTC(y, m, 1);
  if (interval.months === 0 && interval.days === 7) {
    const day = Date.UTC(y, m, d.getUTCDate());
    return day - ((d.getUTCDay() + 6) % 7) * 86_400_000;
  }
  if (interval.months === 0 && interval.days === 1) return Date.UTC(y, m, d.getUTCDate());
  throw unsupported(undefined, `DATE_TRUNC with a period of ${interval.months} months and ${interval.days} days`);
}

export const DATE_FUNCTIONS: Record<string, ScalarFunction> = {
  /** The same instant for the whole query (the request's clock). */
  NOW: {
    arity: [0, 0],
    compile: (_args, src) => ({ type: 'date', src, foldable: true, eval: (_row, ctx) => ctx.now }),
  },
  DATE_TRUNC: singleValueFunction({
    arity: [2, 2],
    args: ['span', 'date'],
    returns: 'date',
    impl: ([interval, date]) => truncate(interval as DatePeriod | TimeDuration, date as number),
  }),
};

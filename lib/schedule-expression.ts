// EventBridge Scheduler expressions, parsed and checked at synth so a typo fails `cdk synth` instead of the deploy
// (or worse, deploying a schedule that never runs). Syntax per the EventBridge Scheduler User Guide, "Schedule types
// in EventBridge Scheduler", and the EventBridge "Cron expressions reference".

export class ScheduleExpressionError extends Error {
  override readonly name = 'ScheduleExpressionError';
}

/** A local wall-clock date and time, in the schedule's time zone. */
export interface LocalDateTime {
  readonly year: number;
  readonly month: number;
  readonly day: number;
  readonly hour: number;
  readonly minute: number;
  readonly second: number;
}

export interface CronSchedule {
  readonly minutes: readonly number[];
  readonly hours: readonly number[];
  readonly months: ReadonlySet<number>;
  readonly years: ReadonlySet<number>;
  /** Whether the schedule runs on this local date (day-of-month or day-of-week rule). */
  readonly runsOn: (year: number, month: number, day: number) => boolean;
}

export type ScheduleExpression =
  | { readonly kind: 'cron'; readonly text: string; readonly cron: CronSchedule }
  | { readonly kind: 'rate'; readonly text: string; readonly everyMs: number }
  | { readonly kind: 'at'; readonly text: string; readonly at: LocalDateTime };

const MONTH_NAMES = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];
const DAY_NAMES = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'];
export const CRON_YEARS = { min: 1970, max: 2199 } as const;

interface FieldSpec {
  readonly name: string;
  readonly min: number;
  readonly max: number;
  readonly names?: readonly string[];
  readonly steps: boolean;
}

const FIELDS = {
  minutes: { name: 'minutes', min: 0, max: 59, steps: true },
  hours: { name: 'hours', min: 0, max: 23, steps: true },
  dayOfMonth: { name: 'day-of-month', min: 1, max: 31, steps: true },
  month: { name: 'month', min: 1, max: 12, names: MONTH_NAMES, steps: true },
  dayOfWeek: { name: 'day-of-week', min: 1, max: 7, names: DAY_NAMES, steps: false },
  year: { name: 'year', min: CRON_YEARS.min, max: CRON_YEARS.max, steps: true },
} satisfies Record<string, FieldSpec>;

const RATE_UNITS: Record<string, number> = { minute: 60_000, hour: 3_600_000, day: 86_400_000 };

/** Parses `cron(...)`, `rate(...)` or `at(...)`; throws a one-sentence ScheduleExpressionError. */
export function parseScheduleExpression(text: string): ScheduleExpression {
  const cron = /^cron\((.*)\)$/.exec(text);
  if (cron) return { kind: 'cron', text, cron: parseCron(cron[1] as string) };
  const rate = /^rate\((.*)\)$/.exec(text);
  if (rate) return { kind: 'rate', text, everyMs: parseRate(rate[1] as string) };
  const at = /^at\((.*)\)$/.exec(text);
  if (at) return { kind: 'at', text, at: parseAt(at[1] as string) };
  throw new ScheduleExpressionError(`"${text}" is not cron(...), rate(...) or at(...)`);
}

function parseRate(body: string): number {
  const match = /^(\d+) (minute|minutes|hour|hours|day|days)$/.exec(body);
  if (!match) throw new ScheduleExpressionError(`rate(${body}) must be "rate(<positive whole number> minutes|hours|days)"`);
  const value = Number(match[1]);
  const unit = match[2] as string;
  if (value < 1) throw new ScheduleExpressionError(`rate(${body}) must have a positive value`);
  const singular = !unit.endsWith('s');
  if (singular !== (value === 1)) throw new ScheduleExpressionError(`rate(${body}) must use a singular unit for 1 and a plural unit otherwise`);
  return value * (RATE_UNITS[singular ? unit : unit.slice(0, -1)] as number);
}

function parseAt(body: string): LocalDateTime {
  const match = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})$/.exec(body);
  if (!match) throw new ScheduleExpressionError(`at(${body}) must be "at(yyyy-mm-ddThh:mm:ss)"`);
  const [year, month, day, hour, minute, second] = match.slice(1).map(Number) as [number, number, number, number, number, number];
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month) || hour > 23 || minute > 59 || second > 59) {
    throw new ScheduleExpressionError(`at(${body}) is not a real date and time`);
  }
  return { year, month, day, hour, minute, second };
}

function parseCron(body: string): CronSchedule {
  const fields = body.trim().split(/\s+/);
  if (fields.length !== 6) throw new ScheduleExpressionError(`cron(${body}) must have six fields (minutes hours day-of-month month day-of-week year), not ${fields.length}`);
  const [minutes, hours, dayOfMonth, month, dayOfWeek, year] = fields as [string, string, string, string, string, string];
  if ((dayOfMonth === '?') === (dayOfWeek === '?')) {
    throw new ScheduleExpressionError(`cron(${body}) must have "?" in exactly one of day-of-month and day-of-week`);
  }
  return {
    minutes: [...parseField(minutes, FIELDS.minutes)].sort((a, b) => a - b),
    hours: [...parseField(hours, FIELDS.hours)].sort((a, b) => a - b),
    months: parseField(month, FIELDS.month),
    years: parseField(year, FIELDS.year),
    runsOn: dayOfWeek === '?' ? dayOfMonthRule(dayOfMonth) : dayOfWeekRule(dayOfWeek),
  };
}

function parseField(text: string, spec: FieldSpec): Set<number> {
  const values = new Set<number>();
  for (const item of text.split(',')) {
    const [range, step, extra] = item.split('/');
    if (extra !== undefined || range === undefined || range === '') throw new ScheduleExpressionError(`${spec.name} field "${text}" has an empty or malformed item "${item}"`);
    if (step !== undefined && !spec.steps) throw new ScheduleExpressionError(`${spec.name} field "${text}" cannot use "/"`);
    const increment = step === undefined ? 1 : wholeNumber(step, spec, text);
    if (increment < 1) throw new ScheduleExpressionError(`${spec.name} field "${text}" has a step of 0`);
    let start: number;
    let end: number;
    if (range === '*') {
      [start, end] = [spec.min, spec.max];
    } else if (range.includes('-')) {
      const [from, to, more] = range.split('-');
      if (more !== undefined || from === undefined || to === undefined) throw new ScheduleExpressionError(`${spec.name} field "${text}" has a malformed range "${range}"`);
      [start, end] = [fieldValue(from, spec, text), fieldValue(to, spec, text)];
      if (start > end) throw new ScheduleExpressionError(`${spec.name} field "${text}" has a range that runs backwards (${range})`);
    } else {
      start = fieldValue(range, spec, text);
      end = step === undefined ? start : spec.max;
    }
    for (let value = start; value <= end; value += increment) values.add(value);
  }
  return values;
}

function fieldValue(token: string, spec: FieldSpec, text: string): number {
  const named = spec.names?.indexOf(token.toUpperCase()) ?? -1;
  const value = named >= 0 ? named + 1 : wholeNumber(token, spec, text);
  if (value < spec.min || value > spec.max) {
    throw new ScheduleExpressionError(`${spec.name} field "${text}" has ${token}, outside ${spec.min}-${spec.max}${spec.names ? ` (or ${spec.names[0]}-${spec.names.at(-1)})` : ''}`);
  }
  return value;
}

function wholeNumber(token: string, spec: FieldSpec, text: string): number {
  if (!/^\d{1,4}$/.test(token)) throw new ScheduleExpressionError(`${spec.name} field "${text}" has "${token}", which is not a number${spec.names ? ' or a name' : ''}`);
  return Number(token);
}

function dayOfMonthRule(text: string): CronSchedule['runsOn'] {
  if (text === 'L') return (y, m, d) => d === daysInMonth(y, m);
  const weekday = /^(\d{1,2})W$/.exec(text);
  if (weekday) {
    const target = Number(weekday[1]);
    if (target < 1 || target > 31) throw new ScheduleExpressionError(`day-of-month field "${text}" needs a day from 1 to 31 before W`);
    return (y, m, d) => nearestWeekday(y, m, target) === d;
  }
  if (/[LW]/.test(text)) throw new ScheduleExpressionError(`day-of-month field "${text}" may use L or nW only on its own (e.g. L, 15W)`);
  const days = parseField(text, FIELDS.dayOfMonth);
  return (_y, _m, d) => days.has(d);
}

function dayOfWeekRule(text: string): CronSchedule['runsOn'] {
  const nth = /^(\w+)#(\d+)$/.exec(text);
  if (nth) {
    const weekday = fieldValue(nth[1] as string, FIELDS.dayOfWeek, text);
    const n = Number(nth[2]);
    if (n < 1 || n > 5) throw new ScheduleExpressionError(`day-of-week field "${text}" needs an instance from 1 to 5 after #`);
    return (y, m, d) => weekdayOf(y, m, d) === weekday && Math.ceil(d / 7) === n;
  }
  if (text.includes('#')) throw new ScheduleExpressionError(`day-of-week field "${text}" may use # only as its single expression (e.g. 3#2)`);
  const last = /^(\w*)L$/.exec(text);
  if (last) {
    // "L" alone is the last day of the week (Saturday); "6L" the month's last Friday.
    if (last[1] === '') return (y, m, d) => weekdayOf(y, m, d) === 7;
    const weekday = fieldValue(last[1] as string, FIELDS.dayOfWeek, text);
    return (y, m, d) => weekdayOf(y, m, d) === weekday && d + 7 > daysInMonth(y, m);
  }
  if (/L/i.test(text)) throw new ScheduleExpressionError(`day-of-week field "${text}" may use L only on its own (e.g. L, 6L)`);
  const weekdays = parseField(text, FIELDS.dayOfWeek);
  return (y, m, d) => weekdays.has(weekdayOf(y, m, d));
}

export function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** 1 = Sunday … 7 = Saturday, as cron counts. */
function weekdayOf(year: number, month: number, day: number): number {
  return new Date(Date.UTC(year, month - 1, day)).getUTCDay() + 1;
}

/** The weekday nearest to `target` within the same month (Quartz's nW); none in a month without that day. */
function nearestWeekday(year: number, month: number, target: number): number | undefined {
  const last = daysInMonth(year, month);
  if (target > last) return undefined;
  const day = target;
  const weekday = weekdayOf(year, month, day);
  if (weekday === 7) return day === 1 ? 3 : day - 1; // Saturday: Friday before, or Monday after the 1st
  if (weekday === 1) return day === last ? day - 2 : day + 1; // Sunday: Monday after, or Friday before the last
  return day;
}

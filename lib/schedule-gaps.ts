// How long the schedule can leave between two runs, in real time and in its own time zone, so the dead man's switch
// waits exactly that long plus slack: a weekly schedule must not page every day, a nightly one must page the next day.
import { CRON_YEARS, ScheduleExpressionError, parseScheduleExpression, type CronSchedule, type ScheduleExpression } from './schedule-expression';

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
/** Four years and a week: every leap-day and month-length pattern of a cron schedule, plus the week that wraps. */
const HORIZON_DAYS = 4 * 366 + 8;
/** Late delivery the switch tolerates: Scheduler retries, Lambda's asynchronous retry, a slow run. */
export const DEAD_MANS_SWITCH_SLACK_HOURS = 2;
/** PutMetricAlarm: Period × EvaluationPeriods may not exceed seven days (for periods of an hour or more). */
export const CLOUDWATCH_MAX_EVALUATION_HOURS = 7 * 24;

/** Hours without a successful run after which the dead man's switch fires: the longest gap between runs plus slack. */
export function deadMansSwitchHours(expression: string, timeZone: string, from: Date = new Date()): number {
  const longest = longestGapBetweenRuns(parseScheduleExpression(expression), timeZone, from);
  const hours = Math.ceil(longest / HOUR_MS) + DEAD_MANS_SWITCH_SLACK_HOURS;
  if (hours > CLOUDWATCH_MAX_EVALUATION_HOURS) {
    throw new ScheduleExpressionError(
      `${expression} can leave ${describe(longest)} between runs; with ${DEAD_MANS_SWITCH_SLACK_HOURS} h of slack the dead man's switch would need ${hours} h, ` +
        `more than the ${CLOUDWATCH_MAX_EVALUATION_HOURS} h a CloudWatch alarm can evaluate, so run at least every ${CLOUDWATCH_MAX_EVALUATION_HOURS - DEAD_MANS_SWITCH_SLACK_HOURS} h`,
    );
  }
  return hours;
}

/** The longest real time between two consecutive runs, from `from` on; throws for schedules that do not recur. */
export function longestGapBetweenRuns(schedule: ScheduleExpression, timeZone: string, from: Date): number {
  switch (schedule.kind) {
    case 'rate':
      return schedule.everyMs; // Scheduler counts rate() in real time, so a day is 24 h across a DST change.
    case 'at':
      throw new ScheduleExpressionError(`${schedule.text} runs once, and the dead man's switch needs a recurring schedule: use cron() or rate(), and run once by hand as the README's Runbook shows`);
    case 'cron':
      return longestCronGap(schedule.text, schedule.cron, new ZoneClock(timeZone), from);
  }
}

function longestCronGap(text: string, cron: CronSchedule, clock: ZoneClock, from: Date): number {
  const start = clock.wallDate(from.getTime());
  for (let year = start.year; year <= CRON_YEARS.max; year++) {
    if (!cron.years.has(year)) throw new ScheduleExpressionError(`${text} does not run in ${year}, and the dead man's switch would page for that whole gap: use * for the year`);
  }
  let previous: number | undefined;
  let longest = 0;
  let runs = 0;
  const firstDay = Date.UTC(start.year, start.month - 1, start.day);
  for (let i = 0; i < HORIZON_DAYS; i++) {
    const date = new Date(firstDay + i * DAY_MS);
    const [y, m, d] = [date.getUTCFullYear(), date.getUTCMonth() + 1, date.getUTCDate()];
    if (!cron.years.has(y) || !cron.months.has(m) || !cron.runsOn(y, m, d)) continue;
    for (const instant of clock.runsOnDay(date.getTime(), cron.hours, cron.minutes)) {
      if (previous !== undefined) longest = Math.max(longest, instant - previous);
      previous = instant;
      runs++;
    }
  }
  if (runs < 2) throw new ScheduleExpressionError(`${text} ${runs === 0 ? 'never runs' : 'runs only once'} in the next four years`);
  return longest;
}

/** Wall-clock arithmetic in one IANA time zone, through Intl (no dependency). */
class ZoneClock {
  private readonly format: Intl.DateTimeFormat;

  constructor(readonly timeZone: string) {
    try {
      this.format = new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric' });
    } catch {
      throw new ScheduleExpressionError(`time zone "${timeZone}" is not an IANA time zone`);
    }
  }

  wallDate(instant: number): { year: number; month: number; day: number } {
    const wall = new Date(instant + this.offset(instant));
    return { year: wall.getUTCFullYear(), month: wall.getUTCMonth() + 1, day: wall.getUTCDate() };
  }

  /** Local wall time minus UTC at an instant, in ms (whole minutes). */
  offset(instant: number): number {
    const parts = Object.fromEntries(this.format.formatToParts(new Date(instant)).map((p) => [p.type, p.value]));
    const wall = Date.UTC(Number(parts.year), Number(parts.month) - 1, Number(parts.day), Number(parts.hour), Number(parts.minute));
    return wall - Math.floor(instant / 60_000) * 60_000;
  }

  /**
   * The instants at which the given local times of one day occur, in order. A time the spring-forward skips does not
   * run, and a time the fall-back repeats runs once, as EventBridge Scheduler documents for daylight saving time.
   */
  *runsOnDay(midnightWall: number, hours: readonly number[], minutes: readonly number[]): Generator<number> {
    const before = this.offset(midnightWall - 15 * HOUR_MS);
    const after = this.offset(midnightWall + 39 * HOUR_MS);
    for (const hour of hours) {
      for (const minute of minutes) {
        const wall = midnightWall + hour * HOUR_MS + minute * 60_000;
        if (before === after) {
          yield wall - before;
          continue;
        }
        const candidates = [wall - before, wall - after].filter((instant) => instant + this.offset(instant) === wall).sort((a, b) => a - b);
        if (candidates[0] !== undefined) yield candidates[0];
      }
    }
  }
}

function describe(ms: number): string {
  const hours = ms / HOUR_MS;
  return hours >= 48 ? `${+(hours / 24).toFixed(1)} days` : `${+hours.toFixed(1)} h`;
}

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseScheduleExpression, ScheduleExpressionError } from '../lib/schedule-expression';
import { deadMansSwitchHours, longestGapBetweenRuns } from '../lib/schedule-gaps';

const FROM = new Date('2026-01-15T12:00:00Z');
const HOUR = 3_600_000;

describe('schedule expressions accepted, and the dead man\'s switch they get', () => {
  const cases: [string, string, number, string][] = [
    ['cron(0 2 * * ? *)', 'UTC', 26, 'the nightly default: 24 h plus 2 h'],
    ['cron(0 2 ? * * *)', 'UTC', 26, '? in day-of-month instead'],
    ['cron(30 3 * * ? *)', 'Europe/Berlin', 27, 'a night across the 25-hour autumn day'],
    ['cron(0 2 * * ? *)', 'Europe/Berlin', 49, '02:00 does not exist on the spring-forward night, and Scheduler skips it'],
    ['cron(30 1 * * ? *)', 'America/New_York', 27, 'US change at 02:00 leaves 01:30 alone'],
    ['cron(0 2 ? * MON-FRI *)', 'UTC', 74, 'weekdays: the weekend is the longest gap'],
    ['cron(0 2 ? * 2-6 *)', 'UTC', 74, 'weekdays by number'],
    ['cron(0 2 ? * mon,wed,fri *)', 'UTC', 74, 'names are case-insensitive; Friday to Monday'],
    ['cron(0 0/6 * * ? *)', 'UTC', 8, 'a step from a start'],
    ['cron(15 */4 * * ? *)', 'UTC', 6, 'a step from *'],
    ['cron(0 8-18/2 ? * MON-FRI *)', 'UTC', 64, 'a stepped range; Friday 18:00 to Monday 08:00'],
    ['cron(0,30 * * * ? *)', 'UTC', 3, 'a list'],
    ['cron(* * * * ? *)', 'Asia/Kolkata', 3, 'every minute, in a half-hour zone'],
    ['cron(0 2 1/3 * ? *)', 'UTC', 74, 'every third day of the month, and the 31st to the 1st'],
    ['cron(0 2 * JAN-DEC ? 2026-2199)', 'UTC', 26, 'month names and a year range to the end'],
    ['cron(0 2 * * ? 1970/1)', 'UTC', 26, 'a year step'],
    ['cron(0 */6 * * ? *)', 'Australia/Lord_Howe', 9, 'a half-hour daylight saving shift'],
    ['rate(1 day)', 'UTC', 26, 'rate counts real time'],
    ['rate(12 hours)', 'Europe/Berlin', 14, 'rate ignores daylight saving'],
    ['rate(5 minutes)', 'UTC', 3, 'frequent runs get the slack only'],
    ['rate(6 days)', 'UTC', 146, 'the longest rate a 7-day alarm can watch'],
  ];
  for (const [expression, zone, hours, why] of cases) {
    it(`${expression} in ${zone}: ${hours} h (${why})`, () => assert.equal(deadMansSwitchHours(expression, zone, FROM), hours));
  }

  it('reads L, W and # in the day fields as Scheduler documents them', () => {
    const runs = (expression: string) => {
      const { cron } = parseScheduleExpression(expression) as Extract<ReturnType<typeof parseScheduleExpression>, { kind: 'cron' }>;
      const days: string[] = [];
      for (let day = 1; day <= 31; day++) if (cron.runsOn(2026, 5, day)) days.push(`05-${String(day).padStart(2, '0')}`);
      return days;
    };
    // May 2026: Friday the 1st, Saturday the 2nd, Sunday the 31st.
    assert.deepEqual(runs('cron(0 2 L * ? *)'), ['05-31']);
    assert.deepEqual(runs('cron(0 2 2W * ? *)'), ['05-01'], 'Saturday the 2nd: the Friday before');
    assert.deepEqual(runs('cron(0 2 1W * ? *)'), ['05-01']);
    assert.deepEqual(runs('cron(0 2 31W * ? *)'), ['05-29'], 'Sunday the 31st at month end: the Friday before');
    assert.deepEqual(runs('cron(0 2 ? * 3#2 *)'), ['05-12'], 'the second Tuesday');
    assert.deepEqual(runs('cron(0 2 ? * FRI#5 *)'), ['05-29']);
    assert.deepEqual(runs('cron(0 2 ? * 6L *)'), ['05-29'], 'the last Friday');
    assert.deepEqual(runs('cron(0 2 ? * L *)'), ['05-02', '05-09', '05-16', '05-23', '05-30'], 'L alone: Saturdays');
  });
});

describe('schedule expressions refused, one sentence each', () => {
  const cases: [string, RegExp][] = [
    ['cron(0 2 * * *)', /must have six fields .* not 5/],
    ['cron(99 99 * * ? *)', /minutes field "99" has 99, outside 0-59/],
    ['cron(0 24 * * ? *)', /hours field "24" has 24, outside 0-23/],
    ['cron(0 2 32 * ? *)', /day-of-month field "32" has 32, outside 1-31/],
    ['cron(0 2 * 13 ? *)', /month field "13" has 13, outside 1-12 \(or JAN-DEC\)/],
    ['cron(0 2 ? * 8 *)', /day-of-week field "8" has 8, outside 1-7 \(or SUN-SAT\)/],
    ['cron(0 2 * * ? 2200)', /year field "2200" has 2200, outside 1970-2199/],
    ['cron(0 2 * * * *)', /"\?" in exactly one of day-of-month and day-of-week/],
    ['cron(0 2 ? * ? *)', /"\?" in exactly one/],
    ['cron(0 2 1 * MON *)', /"\?" in exactly one/],
    ['cron(0 2 * FOO ? *)', /month field "FOO" has "FOO", which is not a number or a name/],
    ['cron(0 5-1 * * ? *)', /range that runs backwards \(5-1\)/],
    ['cron(0 2 ? * MON/2 *)', /day-of-week field "MON\/2" cannot use "\/"/],
    ['cron(0 */0 * * ? *)', /step of 0/],
    ['cron(0 2,,3 * * ? *)', /empty or malformed item/],
    ['cron(0 2 ? * 3#2,6#3 *)', /may use # only as its single expression/],
    ['cron(0 2 ? * 3#6 *)', /instance from 1 to 5 after #/],
    ['cron(0 2 L,15 * ? *)', /may use L or nW only on its own/],
    ['cron(0 2 ? * 1,L *)', /may use L only on its own/],
    ['cron(0 2 30 2 ? *)', /never runs in the next four years/],
    ['cron(0 2 29 2 ? *)', /runs only once in the next four years/],
    ['cron(0 2 * * ? 2026-2030)', /does not run in 2031.*use \* for the year/],
    ['cron(0 2 ? * SUN *)', /can leave 7 days between runs; .* 170 h, more than the 168 h a CloudWatch alarm can evaluate/],
    ['cron(0 2 L * ? *)', /can leave 31 days between runs/],
    ['rate(7 days)', /can leave 7 days between runs/],
    ['rate(0 minutes)', /must have a positive value/],
    ['rate(1 hours)', /singular unit for 1 and a plural unit otherwise/],
    ['rate(5 hour)', /singular unit for 1/],
    ['rate(5 weeks)', /rate\(<positive whole number> minutes\|hours\|days\)/],
    ['at(2026-02-30T02:00:00)', /is not a real date and time/],
    ['at(2026-02-01 02:00)', /must be "at\(yyyy-mm-ddThh:mm:ss\)"/],
    ['at(2026-02-01T02:00:00)', /runs once, and the dead man's switch needs a recurring schedule/],
    ['every night', /is not cron\(\.\.\.\), rate\(\.\.\.\) or at\(\.\.\.\)/],
  ];
  for (const [expression, message] of cases) {
    it(expression, () => {
      assert.throws(() => deadMansSwitchHours(expression, 'UTC', FROM), (error: unknown) => {
        assert.ok(error instanceof ScheduleExpressionError, String(error));
        assert.match(error.message, message);
        assert.doesNotMatch(error.message, /\n/);
        return true;
      });
    });
  }

  it('refuses a time zone that does not exist', () => {
    assert.throws(() => deadMansSwitchHours('cron(0 2 * * ? *)', 'Mars/Olympus', FROM), /time zone "Mars\/Olympus" is not an IANA time zone/);
  });
});

describe('gaps between runs', () => {
  it('are measured in real time across daylight saving changes', () => {
    const nightly = parseScheduleExpression('cron(30 3 * * ? *)');
    assert.equal(longestGapBetweenRuns(nightly, 'Europe/Berlin', FROM), 25 * HOUR);
    assert.equal(longestGapBetweenRuns(nightly, 'UTC', FROM), 24 * HOUR);
    assert.equal(longestGapBetweenRuns(parseScheduleExpression('cron(0 1 * * ? *)'), 'America/New_York', FROM), 25 * HOUR);
  });
});

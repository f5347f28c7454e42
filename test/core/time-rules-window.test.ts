import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { GennakerError } from '../../src/core/errors.js';
import { nextWindowStart, parseExecutionWindow, type WindowCheck } from '../../src/core/time-rules/index.js';

/** An instant written in UTC, month 1-based. */
function utc(year: number, month: number, day: number, hour = 0, minute = 0, second = 0, ms = 0): number {
  return Date.UTC(year, month - 1, day, hour, minute, second, ms);
}

function range(start: string, end: string): Record<string, number> {
  const [startHour, startMin] = start.split(':').map(Number);
  const [endHour, endMin] = end.split(':').map(Number);
  return { startHour: startHour!, startMin: startMin!, endHour: endHour!, endMin: endMin! };
}

const inside: WindowCheck = { kind: 'inside' };
const waitUntil = (untilMs: number): WindowCheck => ({ kind: 'wait', untilMs });

interface Case {
  readonly name: string;
  readonly window: Record<string, unknown>;
  readonly now: number;
  readonly expected: WindowCheck;
  readonly defaultTimezone?: string;
}

function runCases(cases: readonly Case[]): void {
  for (const { name, window, now, expected, defaultTimezone } of cases) {
    test(name, () => {
      const parsed = parseExecutionWindow(window);
      assert.deepEqual(nextWindowStart(parsed, now, defaultTimezone ?? 'UTC'), expected);
    });
  }
}

// 2024-03-04 is a Monday; 2024-03-03 a Sunday; 2024-03-02 a Saturday.
describe('nextWindowStart: inside and outside one range', () => {
  const officeHours = { whitelist: [range('09:00', '17:00')], timezone: 'UTC' };
  runCases([
    { name: 'a millisecond before the start waits for the start', window: officeHours, now: utc(2024, 3, 4, 8, 59, 59, 999), expected: waitUntil(utc(2024, 3, 4, 9)) },
    { name: 'exactly at the start is inside', window: officeHours, now: utc(2024, 3, 4, 9), expected: inside },
    { name: 'midday is inside', window: officeHours, now: utc(2024, 3, 4, 12, 30), expected: inside },
    { name: 'the end minute is included, to its last millisecond', window: officeHours, now: utc(2024, 3, 4, 17, 0, 59, 999), expected: inside },
    { name: 'the minute after the end waits for tomorrow', window: officeHours, now: utc(2024, 3, 4, 17, 1), expected: waitUntil(utc(2024, 3, 5, 9)) },
    { name: 'just before midnight waits for tomorrow', window: officeHours, now: utc(2024, 3, 4, 23, 59), expected: waitUntil(utc(2024, 3, 5, 9)) },
    {
      name: 'a one-minute range (start equals end) is open for that minute',
      window: { whitelist: [range('12:00', '12:00')], timezone: 'UTC' },
      now: utc(2024, 3, 4, 12, 0, 30),
      expected: inside,
    },
    {
      name: '00:00 to 23:59 is the whole day',
      window: { whitelist: [range('00:00', '23:59')], timezone: 'UTC' },
      now: utc(2024, 3, 4, 23, 59, 59, 999),
      expected: inside,
    },
  ]);
});

describe('nextWindowStart: several ranges', () => {
  const twoRanges = { whitelist: [range('13:00', '14:00'), range('09:00', '10:00')], timezone: 'UTC' };
  runCases([
    { name: 'before both waits for the earlier, whatever the list order', window: twoRanges, now: utc(2024, 3, 4, 8), expected: waitUntil(utc(2024, 3, 4, 9)) },
    { name: 'between them waits for the later', window: twoRanges, now: utc(2024, 3, 4, 10, 30), expected: waitUntil(utc(2024, 3, 4, 13)) },
    { name: 'inside the second listed is inside', window: twoRanges, now: utc(2024, 3, 4, 9, 45), expected: inside },
    { name: 'after both waits for the earlier one tomorrow', window: twoRanges, now: utc(2024, 3, 4, 15), expected: waitUntil(utc(2024, 3, 5, 9)) },
  ]);
});

describe('nextWindowStart: ranges that wrap past midnight', () => {
  const nightsFromMonday = { whitelist: [range('22:00', '06:00')], days: [2], timezone: 'UTC' };
  const everyNight = { whitelist: [range('22:00', '06:00')], timezone: 'UTC' };
  runCases([
    { name: 'late evening is inside', window: everyNight, now: utc(2024, 3, 4, 23), expected: inside },
    { name: 'early morning is inside (the range opened yesterday)', window: everyNight, now: utc(2024, 3, 5, 5, 30), expected: inside },
    { name: 'daytime waits for 22:00', window: everyNight, now: utc(2024, 3, 4, 12), expected: waitUntil(utc(2024, 3, 4, 22)) },
    { name: 'Monday 23:00 is inside a Monday-only night', window: nightsFromMonday, now: utc(2024, 3, 4, 23), expected: inside },
    { name: 'Tuesday 05:30 is inside: the range belongs to Monday, the day it starts', window: nightsFromMonday, now: utc(2024, 3, 5, 5, 30), expected: inside },
    { name: 'Tuesday 06:00:30 is inside (end minute included)', window: nightsFromMonday, now: utc(2024, 3, 5, 6, 0, 30), expected: inside },
    { name: 'Tuesday 06:01 waits for next Monday 22:00', window: nightsFromMonday, now: utc(2024, 3, 5, 6, 1), expected: waitUntil(utc(2024, 3, 11, 22)) },
    { name: 'Monday 05:30 is outside: that night started on Sunday', window: nightsFromMonday, now: utc(2024, 3, 4, 5, 30), expected: waitUntil(utc(2024, 3, 4, 22)) },
    { name: 'Sunday 23:00 waits for Monday 22:00', window: nightsFromMonday, now: utc(2024, 3, 3, 23), expected: waitUntil(utc(2024, 3, 4, 22)) },
    {
      name: 'a range from 23:59 to 23:58 is open all but one minute',
      window: { whitelist: [range('23:59', '23:58')], timezone: 'UTC' },
      now: utc(2024, 3, 4, 23, 58, 30),
      expected: inside,
    },
  ]);
});

describe('nextWindowStart: days use java.util.Calendar numbers (1 = Sunday … 7 = Saturday)', () => {
  const sundayNoon = utc(2024, 3, 3, 12);
  const weekdays = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
  runCases(
    weekdays.map((dayName, index) => ({
      name: `days [${index + 1}] means ${dayName}`,
      window: { days: [index + 1], timezone: 'UTC' },
      now: sundayNoon,
      expected: index === 0 ? inside : waitUntil(utc(2024, 3, 3 + index)),
    })),
  );
  runCases([
    { name: 'Saturday (7) is inside on a Saturday', window: { days: [7], timezone: 'UTC' }, now: utc(2024, 3, 2, 12), expected: inside },
    { name: 'Monday to Friday on a Saturday waits for Monday', window: { days: [2, 3, 4, 5, 6], timezone: 'UTC' }, now: utc(2024, 3, 2, 12), expected: waitUntil(utc(2024, 3, 4)) },
    { name: 'Sunday only, on a Monday, waits six days', window: { days: [1], timezone: 'UTC' }, now: utc(2024, 3, 4, 0, 0, 1), expected: waitUntil(utc(2024, 3, 10)) },
    {
      name: 'hours and days together: Friday 16:00 after hours waits for Monday',
      window: { whitelist: [range('09:00', '15:00')], days: [2, 3, 4, 5, 6], timezone: 'UTC' },
      now: utc(2024, 3, 8, 16),
      expected: waitUntil(utc(2024, 3, 11, 9)),
    },
    { name: 'no ranges and no days imposes nothing', window: {}, now: sundayNoon, expected: inside },
  ]);
});

describe('nextWindowStart: time zones', () => {
  const officeIn = (timezone: string) => ({ whitelist: [range('09:00', '17:00')], timezone });
  runCases([
    { name: 'Asia/Kolkata (+05:30): 08:59 local waits for 09:00 local', window: officeIn('Asia/Kolkata'), now: utc(2024, 6, 1, 3, 29), expected: waitUntil(utc(2024, 6, 1, 3, 30)) },
    { name: 'Asia/Kolkata: 09:00 local is inside', window: officeIn('Asia/Kolkata'), now: utc(2024, 6, 1, 3, 30), expected: inside },
    { name: 'Asia/Kolkata: 17:01 local waits for tomorrow 09:00 local', window: officeIn('Asia/Kolkata'), now: utc(2024, 6, 1, 11, 31), expected: waitUntil(utc(2024, 6, 2, 3, 30)) },
    {
      name: 'Asia/Kolkata: the weekday is the local one (Monday starts at Sunday 18:30 UTC)',
      window: { days: [2], timezone: 'Asia/Kolkata' },
      now: utc(2024, 6, 2, 18, 29),
      expected: waitUntil(utc(2024, 6, 2, 18, 30)),
    },
    { name: 'Pacific/Chatham standard time (+12:45)', window: officeIn('Pacific/Chatham'), now: utc(2024, 6, 9, 20), expected: waitUntil(utc(2024, 6, 9, 20, 15)) },
    { name: 'Pacific/Chatham daylight time (+13:45)', window: officeIn('Pacific/Chatham'), now: utc(2024, 1, 9, 19), expected: waitUntil(utc(2024, 1, 9, 19, 15)) },
    { name: 'Europe/London in winter (GMT)', window: officeIn('Europe/London'), now: utc(2024, 1, 15, 8), expected: waitUntil(utc(2024, 1, 15, 9)) },
    { name: 'Europe/London in summer (BST)', window: officeIn('Europe/London'), now: utc(2024, 7, 15, 7), expected: waitUntil(utc(2024, 7, 15, 8)) },
    {
      name: 'no timezone in the window uses the default given (Los Angeles, PDT)',
      window: { whitelist: [range('09:00', '17:00')] },
      defaultTimezone: 'America/Los_Angeles',
      now: utc(2024, 7, 15, 15),
      expected: waitUntil(utc(2024, 7, 15, 16)),
    },
    {
      name: "the window's timezone wins over the default",
      window: officeIn('Asia/Kolkata'),
      defaultTimezone: 'America/Los_Angeles',
      now: utc(2024, 6, 1, 3, 30),
      expected: inside,
    },
  ]);
});

// New York: 2024-03-10 02:00 EST (07:00Z) jumps to 03:00 EDT; 2024-11-03 02:00 EDT (06:00Z) falls back to 01:00 EST.
// London: 2024-03-31 01:00 GMT (01:00Z) jumps to 02:00 BST; 2024-10-27 02:00 BST (01:00Z) falls back to 01:00 GMT.
// Chatham: 2024-09-29 02:45 (14:00Z) jumps to 03:45.
describe('nextWindowStart: clocks going forward', () => {
  runCases([
    {
      name: 'a start in the skipped hour opens when the clock jumps (02:30 New York opens at 03:00 EDT)',
      window: { whitelist: [range('02:30', '04:00')], timezone: 'America/New_York' },
      now: utc(2024, 3, 10, 5),
      expected: waitUntil(utc(2024, 3, 10, 7)),
    },
    {
      name: 'the instant of the jump is inside such a range',
      window: { whitelist: [range('02:30', '04:00')], timezone: 'America/New_York' },
      now: utc(2024, 3, 10, 7),
      expected: inside,
    },
    {
      name: 'after such a range, the next start is 02:30 EDT the next day',
      window: { whitelist: [range('02:30', '04:00')], timezone: 'America/New_York' },
      now: utc(2024, 3, 10, 8, 1),
      expected: waitUntil(utc(2024, 3, 11, 6, 30)),
    },
    {
      name: 'a range wholly in the skipped hour does not run that day (Sunday-only: the next Sunday)',
      window: { whitelist: [range('02:00', '02:29')], days: [1], timezone: 'America/New_York' },
      now: utc(2024, 3, 9, 17),
      expected: waitUntil(utc(2024, 3, 17, 6)),
    },
    {
      name: 'a range across the jump stays open until its local end (01:00 to 03:00 closes at 03:01 EDT)',
      window: { whitelist: [range('01:00', '03:00')], timezone: 'America/New_York' },
      now: utc(2024, 3, 10, 7, 0, 30),
      expected: inside,
    },
    {
      name: 'an overnight range across the jump ends at 06:00 EDT',
      window: { whitelist: [range('22:00', '06:00')], timezone: 'America/New_York' },
      now: utc(2024, 3, 10, 10, 0, 59),
      expected: inside,
    },
    {
      name: 'and reopens at 22:00 EDT',
      window: { whitelist: [range('22:00', '06:00')], timezone: 'America/New_York' },
      now: utc(2024, 3, 10, 10, 1),
      expected: waitUntil(utc(2024, 3, 11, 2)),
    },
    {
      name: 'the spring-forward Sunday is 23 hours long (ends at Monday 00:00 EDT)',
      window: { days: [1], timezone: 'America/New_York' },
      now: utc(2024, 3, 11, 4),
      expected: waitUntil(utc(2024, 3, 17, 4)),
    },
    {
      name: 'London: 01:30 does not exist on 31 March; the range opens at the jump',
      window: { whitelist: [range('01:30', '02:30')], timezone: 'Europe/London' },
      now: utc(2024, 3, 31, 0, 30),
      expected: waitUntil(utc(2024, 3, 31, 1)),
    },
    {
      name: 'Chatham (quarter-hour zone): 03:00 falls in the skipped 02:45–03:45 and opens at the jump',
      window: { whitelist: [range('03:00', '05:00')], timezone: 'Pacific/Chatham' },
      now: utc(2024, 9, 28, 13),
      expected: waitUntil(utc(2024, 9, 28, 14)),
    },
  ]);
});

describe('nextWindowStart: clocks going back', () => {
  runCases([
    {
      name: 'a start in the repeated hour means its first occurrence (01:30 EDT)',
      window: { whitelist: [range('01:30', '03:00')], timezone: 'America/New_York' },
      now: utc(2024, 11, 3, 4),
      expected: waitUntil(utc(2024, 11, 3, 5, 30)),
    },
    {
      name: 'the second pass through the repeated hour is inside a range that spans it',
      window: { whitelist: [range('01:30', '03:00')], timezone: 'America/New_York' },
      now: utc(2024, 11, 3, 6, 15),
      expected: inside,
    },
    {
      name: 'a range within the repeated hour runs once: its second pass waits for tomorrow',
      window: { whitelist: [range('01:00', '01:29')], timezone: 'America/New_York' },
      now: utc(2024, 11, 3, 6, 10),
      expected: waitUntil(utc(2024, 11, 4, 6)),
    },
    {
      name: 'the fall-back Sunday is 25 hours long (open until Monday 00:00 EST)',
      window: { days: [1], timezone: 'America/New_York' },
      now: utc(2024, 11, 4, 4, 59),
      expected: inside,
    },
    {
      name: 'and the next Sunday starts at 00:00 EST',
      window: { days: [1], timezone: 'America/New_York' },
      now: utc(2024, 11, 4, 5),
      expected: waitUntil(utc(2024, 11, 10, 5)),
    },
    {
      name: 'London: 01:30 on 27 October means 01:30 BST',
      window: { whitelist: [range('01:30', '01:44')], timezone: 'Europe/London' },
      now: utc(2024, 10, 27, 0),
      expected: waitUntil(utc(2024, 10, 27, 0, 30)),
    },
    {
      name: 'London: 01:35 GMT (second pass) is outside a range that already ran at 01:30 BST',
      window: { whitelist: [range('01:30', '01:44')], timezone: 'Europe/London' },
      now: utc(2024, 10, 27, 1, 35),
      expected: waitUntil(utc(2024, 10, 28, 1, 30)),
    },
  ]);
});

describe('nextWindowStart: every valid window opens within a week', () => {
  test('a one-minute range on any single weekday opens within seven days of any moment', () => {
    const starts = [utc(2024, 3, 3, 3, 18), utc(2024, 3, 6, 0), utc(2024, 3, 9, 23, 59)];
    for (let day = 1; day <= 7; day++) {
      const window = parseExecutionWindow({ whitelist: [range('03:17', '03:17')], days: [day], timezone: 'UTC' });
      for (const now of starts) {
        const check = nextWindowStart(window, now, 'UTC');
        const waited = check.kind === 'wait' ? check.untilMs - now : 0;
        assert.ok(waited >= 0 && waited <= 7 * 86_400_000, `day ${day} from ${new Date(now).toISOString()}: waited ${waited} ms`);
      }
    }
  });
});

describe('nextWindowStart: a bad default timezone', () => {
  test('is a validation error naming defaultTimezone', () => {
    const window = parseExecutionWindow({ whitelist: [range('09:00', '17:00')] });
    assert.throws(
      () => nextWindowStart(window, utc(2024, 3, 4), 'Mars/Olympus_Mons'),
      (error: unknown) => {
        assert.ok(error instanceof GennakerError);
        assert.equal(error.code, 'GNK_E_VALIDATION');
        assert.equal(error.details[0]?.path, 'defaultTimezone');
        assert.match(error.message, /Mars\/Olympus_Mons/);
        return true;
      },
    );
  });
});

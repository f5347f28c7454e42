import { GennakerError } from '../errors.js';
import type { ExecutionWindow } from './execution-window.js';
import { validationError } from './validation-error.js';
import { calendarWeekday, firstInstantAtOrAfter, isKnownTimezone, startOfWallDay, wallDayMs, wallMinuteMs, wallTimeAt } from './zone.js';

export type WindowCheck = { readonly kind: 'inside' } | { readonly kind: 'wait'; readonly untilMs: number };

/** A range in minutes from the local midnight of the day it starts on; the end is exclusive and may pass 24:00. */
interface DayRange {
  readonly startMinute: number;
  readonly endMinute: number;
}

const MINUTES_PER_DAY = 24 * 60;

/**
 * A parsed window opens at least weekly; two weeks leaves room for a week whose only range falls in
 * an hour skipped by a daylight-saving change.
 */
const SEARCH_DAYS = 14;

function dayRanges(window: ExecutionWindow): DayRange[] {
  if (window.whitelist.length === 0) return [{ startMinute: 0, endMinute: MINUTES_PER_DAY }];
  return window.whitelist.map((range) => {
    const startMinute = range.startHour * 60 + range.startMin;
    const lastMinute = range.endHour * 60 + range.endMin;
    const wraps = lastMinute < startMinute;
    return { startMinute, endMinute: lastMinute + 1 + (wraps ? MINUTES_PER_DAY : 0) };
  });
}

function zoneOf(window: ExecutionWindow, defaultTimezone: string): string {
  const timezone = window.timezone ?? defaultTimezone;
  if (isKnownTimezone(timezone)) return timezone;
  const path = window.timezone === undefined ? 'defaultTimezone' : 'restrictedExecutionWindow.timezone';
  throw validationError('execution window', [{ path: [], expected: `expected an IANA time zone name, got "${timezone}"` }], { path });
}

/**
 * Whether `nowMs` is inside the window and, if not, the earliest later instant at which an allowed
 * range begins. Ranges are local to the window's zone (else `defaultTimezone`) and a range belongs
 * to the weekday it starts on, so 22:00–06:00 on Mondays runs from Monday 22:00 to Tuesday 06:00:59.
 *
 * Daylight-saving changes: each range runs once per day, from the first instant the local clock shows
 * its start to the first instant it shows the minute after its end. A start in the hour skipped when
 * clocks go forward therefore opens when the clock jumps (02:30 in New York on a spring-forward day
 * opens at 03:00 EDT), a range wholly inside that hour does not run that day, and a time in the hour
 * repeated when clocks go back means its first occurrence.
 */
export function nextWindowStart(window: ExecutionWindow, nowMs: number, defaultTimezone: string): WindowCheck {
  const timezone = zoneOf(window, defaultTimezone);
  if (window.whitelist.length === 0 && window.days.length === 0) return { kind: 'inside' };
  const ranges = dayRanges(window);
  const today = startOfWallDay(wallTimeAt(nowMs, timezone));
  let earliest: number | undefined;
  // Yesterday first: a range that wraps past midnight may have opened then and still be open.
  for (let dayOffset = -1; dayOffset <= SEARCH_DAYS; dayOffset++) {
    const day = today + dayOffset * wallDayMs;
    if (window.days.length > 0 && !window.days.some((allowed) => allowed === calendarWeekday(day))) continue;
    for (const range of ranges) {
      const opensMs = firstInstantAtOrAfter(day + range.startMinute * wallMinuteMs, timezone);
      const closesMs = firstInstantAtOrAfter(day + range.endMinute * wallMinuteMs, timezone);
      if (opensMs <= nowMs && nowMs < closesMs) return { kind: 'inside' };
      if (opensMs > nowMs && opensMs < closesMs && (earliest === undefined || opensMs < earliest)) earliest = opensMs;
    }
    // Ranges of later days open later than every range of this one, so the first found is the answer.
    if (earliest !== undefined && dayOffset >= 0) return { kind: 'wait', untilMs: earliest };
  }
  throw new GennakerError('GNK_E_INTERNAL', `execution window does not open within ${SEARCH_DAYS} days in ${timezone}`, [
    { path: 'restrictedExecutionWindow', expected: 'a window that opens at least once a week' },
  ]);
}

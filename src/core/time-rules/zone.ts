/**
 * Wall-clock arithmetic in IANA time zones using only `Intl.DateTimeFormat`, which is pure computation
 * over the tz database bundled with Node. "Wall time" here is a local date and time written as epoch
 * milliseconds as if the zone were UTC, so ordinary integer arithmetic moves through days and minutes
 * and `Date.UTC` normalises overflow (minute 1500 of a day is 01:00 of the next).
 */

const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;

/** One formatter per zone: building them costs far more than using them, and they are immutable. */
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timezone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timezone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone: timezone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timezone, formatter);
  }
  return formatter;
}

/** True when the runtime's tz database knows the name (IANA names such as `Europe/London`, or `UTC`). */
export function isKnownTimezone(name: string): boolean {
  try {
    formatterFor(name);
    return true;
  } catch {
    return false;
  }
}

/** The wall time shown by a clock in `timezone` at instant `epochMs`. */
export function wallTimeAt(epochMs: number, timezone: string): number {
  const fields: Record<string, number> = {};
  for (const part of formatterFor(timezone).formatToParts(epochMs)) {
    if (part.type !== 'literal') fields[part.type] = Number(part.value);
  }
  const millis = ((epochMs % 1000) + 1000) % 1000;
  // Some ICU versions print midnight as hour 24 even with h23; it is the same instant either way.
  const hour = fields['hour'] === 24 ? 0 : fields['hour']!;
  return Date.UTC(fields['year']!, fields['month']! - 1, fields['day']!, hour, fields['minute']!, fields['second']!, millis);
}

function offsetAt(epochMs: number, timezone: string): number {
  return wallTimeAt(epochMs, timezone) - epochMs;
}

/**
 * The earliest instant at which the clock in `timezone` shows `wallMs` or later. A wall time that
 * happens twice (the repeated hour when clocks go back) gives its first occurrence; one that never
 * happens (the hour skipped when clocks go forward) gives the instant the clock jumps past it.
 */
export function firstInstantAtOrAfter(wallMs: number, timezone: string): number {
  // Offsets a day either side bracket any transition near wallMs (zones change offset at most once a day).
  const candidateOffsets = new Set([offsetAt(wallMs - DAY_MS, timezone), offsetAt(wallMs + DAY_MS, timezone)]);
  for (const offset of [...candidateOffsets]) candidateOffsets.add(offsetAt(wallMs - offset, timezone));
  const exact = [...candidateOffsets]
    .map((offset) => wallMs - offset)
    .filter((instant) => wallTimeAt(instant, timezone) === wallMs);
  if (exact.length > 0) return Math.min(...exact);
  return transitionInstantBefore(wallMs, timezone);
}

/**
 * `wallMs` lies in a gap. Before the transition the clock shows less than wallMs and after it more, so
 * the earliest instant showing wallMs or later is the transition itself: binary search for it between
 * the instants that wallMs would be under the largest and the smallest nearby offsets.
 */
function transitionInstantBefore(wallMs: number, timezone: string): number {
  const offsets = [offsetAt(wallMs - DAY_MS, timezone), offsetAt(wallMs + DAY_MS, timezone)];
  let before = wallMs - Math.max(...offsets) - MINUTE_MS;
  let after = wallMs - Math.min(...offsets) + MINUTE_MS;
  while (after - before > 1) {
    const middle = Math.floor((before + after) / 2);
    if (wallTimeAt(middle, timezone) >= wallMs) after = middle;
    else before = middle;
  }
  return after;
}

/** Midnight (as wall time) of the local date containing `wallMs`. */
export function startOfWallDay(wallMs: number): number {
  return Math.floor(wallMs / DAY_MS) * DAY_MS;
}

/** `java.util.Calendar` weekday of a wall time: 1 = Sunday … 7 = Saturday. */
export function calendarWeekday(wallMs: number): number {
  return new Date(wallMs).getUTCDay() + 1;
}

export const wallMinuteMs = MINUTE_MS;
export const wallDayMs = DAY_MS;

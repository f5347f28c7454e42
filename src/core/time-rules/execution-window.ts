import { z } from 'zod';
import { problemsOf, validationError, type ParseLocation } from './validation-error.js';
import { isKnownTimezone } from './zone.js';

/** `java.util.Calendar` weekday numbers, as Spinnaker stores them: 1 = Sunday … 7 = Saturday. */
export type CalendarDay = 1 | 2 | 3 | 4 | 5 | 6 | 7;

/**
 * An allowed range of local time. Both ends are whole minutes and the end minute is included (09:00 to
 * 17:00 admits 17:00:59, and 00:00 to 23:59 is the whole day), as in Spinnaker. An end before the start
 * wraps past midnight into the next day.
 */
export interface TimeRange {
  readonly startHour: number;
  readonly startMin: number;
  readonly endHour: number;
  readonly endMin: number;
}

/** Extra random wait after the window opens, in seconds (Spinnaker's `jitter`). */
export interface WindowJitter {
  readonly enabled: boolean;
  readonly minDelay: number;
  readonly maxDelay: number;
  /** No jitter for manually triggered executions. */
  readonly skipManual: boolean;
}

export interface ExecutionWindow {
  /** Allowed ranges; empty means all hours of an allowed day. */
  readonly whitelist: readonly TimeRange[];
  /** Weekdays on which a range may start, sorted and distinct; empty means every day. */
  readonly days: readonly CalendarDay[];
  readonly jitter: WindowJitter;
  /** IANA zone the ranges are written in (a Gennaker extension); absent means the server default. */
  readonly timezone?: string;
}

function integerFromText(value: unknown): unknown {
  return typeof value === 'string' && /^\s*-?\d+\s*$/.test(value) ? Number(value) : value;
}

function booleanFromText(value: unknown): unknown {
  if (value === 'true') return true;
  if (value === 'false') return false;
  return value;
}

/** Spinnaker exports write `null` for fields nobody filled in; treat it as absent so defaults apply. */
function absentIfNull(value: unknown): unknown {
  return value === null ? undefined : value;
}

function integerBetween(min: number, max: number, expected: string) {
  const number = z
    .number({ error: expected })
    .int({ error: expected })
    .min(min, { error: expected })
    .max(max, { error: expected });
  return z.preprocess(integerFromText, number);
}

const flag = z.preprocess(booleanFromText, z.boolean({ error: 'expected true or false' }));
const delaySeconds = integerBetween(0, Number.MAX_SAFE_INTEGER, 'expected a whole number of seconds, 0 or more');

const hour = integerBetween(0, 23, 'expected an hour from 0 to 23');
const minute = integerBetween(0, 59, 'expected a minute from 0 to 59');

const timeRangeSchema = z.strictObject({
  startHour: hour,
  startMin: minute,
  endHour: hour,
  endMin: minute,
  /** Written by Deck's timeline view; carries no meaning for scheduling. */
  wrapEnd: z.unknown().optional(),
});

const calendarDay = integerBetween(
  1,
  7,
  'expected a java.util.Calendar weekday: 1 = Sunday, 2 = Monday, … 7 = Saturday',
);

const jitterSchema = z
  .strictObject({
    enabled: z.preprocess(absentIfNull, flag.default(false)),
    minDelay: z.preprocess(absentIfNull, delaySeconds.default(0)),
    maxDelay: z.preprocess(absentIfNull, delaySeconds.default(0)),
    skipManual: z.preprocess(absentIfNull, flag.default(false)),
  })
  .refine((jitter) => !jitter.enabled || jitter.minDelay <= jitter.maxDelay, {
    error: 'expected maxDelay to be at least minDelay',
    path: ['maxDelay'],
  });

const timezoneSchema = z
  .string({ error: 'expected an IANA time zone name such as Europe/London' })
  .refine(isKnownTimezone, { error: 'expected an IANA time zone name such as Europe/London' });

/**
 * Spinnaker's `restrictedExecutionWindow`, plus `timezone`. Unknown keys are errors so a typo such as
 * `timeZone` cannot silently fall back to the server zone; the two keys Deck adds for its Atlas graph
 * are accepted and dropped.
 */
export const executionWindowSchema = z
  .strictObject(
    {
      whitelist: z.preprocess(absentIfNull, z.array(timeRangeSchema, { error: 'expected a list of time ranges' }).default([])),
      days: z.preprocess(absentIfNull, z.array(calendarDay, { error: 'expected a list of weekday numbers' }).default([])),
      jitter: z.preprocess(absentIfNull, jitterSchema.optional()),
      timezone: z.preprocess(absentIfNull, timezoneSchema.optional()),
      atlasEnabled: z.unknown().optional(),
      currentRegion: z.unknown().optional(),
    },
    { error: 'expected an object with whitelist, days, jitter and timezone' },
  )
  .transform(
    (raw): ExecutionWindow => ({
      whitelist: raw.whitelist.map(({ startHour, startMin, endHour, endMin }) => ({ startHour, startMin, endHour, endMin })),
      days: [...new Set(raw.days)].sort((a, b) => a - b) as CalendarDay[],
      jitter: raw.jitter ?? { enabled: false, minDelay: 0, maxDelay: 0, skipManual: false },
      ...(raw.timezone === undefined ? {} : { timezone: raw.timezone }),
    }),
  );

/**
 * Parses a `restrictedExecutionWindow` object. Numbers and booleans may arrive as strings ("9",
 * "true"), as in some Spinnaker exports. Throws GNK_E_VALIDATION naming every bad field.
 *
 * Every window that parses opens at least once a week: days are limited to real weekdays and each
 * range is at least one minute long, so "a window that never opens" is rejected here rather than
 * discovered by a stage waiting forever.
 */
export function parseExecutionWindow(input: unknown, at: ParseLocation = { path: 'restrictedExecutionWindow' }): ExecutionWindow {
  const parsed = executionWindowSchema.safeParse(input);
  if (parsed.success) return parsed.data;
  throw validationError('execution window', problemsOf(parsed.error.issues), at);
}

const stageFlag = z.preprocess(absentIfNull, flag.optional());

/**
 * The execution window of a pipeline stage, or undefined when the stage is not restricted
 * (`restrictExecutionDuringTimeWindow` absent or false; a leftover `restrictedExecutionWindow` is then
 * ignored, as Spinnaker does). A restricted stage without a window is an error: Spinnaker would fail
 * it at run time, Gennaker says so when the pipeline is read.
 *
 * `stagePath` is where the stage sits in its document, e.g. `stages[2]`.
 */
export function executionWindowOfStage(stage: Readonly<Record<string, unknown>>, stagePath = ''): ExecutionWindow | undefined {
  const refId = stage['refId'] === undefined || stage['refId'] === null ? undefined : String(stage['refId']);
  const prefix = stagePath === '' ? '' : `${stagePath}.`;
  const location = (field: string): ParseLocation => ({ path: `${prefix}${field}`, ...(refId === undefined ? {} : { refId }) });
  const restricted = stageFlag.safeParse(stage['restrictExecutionDuringTimeWindow']);
  if (!restricted.success) {
    throw validationError('execution window', problemsOf(restricted.error.issues), location('restrictExecutionDuringTimeWindow'));
  }
  if (restricted.data !== true) return undefined;
  const window = stage['restrictedExecutionWindow'];
  if (window === undefined || window === null) {
    throw validationError(
      'execution window',
      [{ path: [], expected: 'expected a window object, because restrictExecutionDuringTimeWindow is true' }],
      location('restrictedExecutionWindow'),
    );
  }
  return parseExecutionWindow(window, location('restrictedExecutionWindow'));
}

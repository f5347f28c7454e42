import { z } from 'zod';
import { booleanLike, numberLike } from './value-or-expression.js';

/**
 * Building blocks of the stage-type schemas. Those schemas parse a stage's fields after its expressions
 * are evaluated, so every message is worded for a run-time failure ("expected …"); the save-time
 * validator reuses them, dropping the leading "expected".
 */

/** Exports write `null` for fields nobody filled in; treat it as absent so defaults apply. */
function absentIfNull(value: unknown): unknown {
  return value === null ? undefined : value;
}

/** An optional field whose `null` means "not given". */
export function optional<T extends z.ZodType>(schema: T) {
  return z.preprocess(absentIfNull, schema.optional());
}

/** A field with a default, used when it is absent or `null`. */
export function defaulted<T extends z.ZodType>(schema: T, fallback: z.util.NoUndefined<z.output<T>>) {
  return z.preprocess(absentIfNull, schema.default(fallback));
}

/** A number of seconds, 0 or more, written as a number or as text. */
export function seconds(expected = 'expected a number of seconds, 0 or more') {
  return numberLike({ min: 0 }, expected);
}

/** A whole number from `min` up, written as a number or as text. */
export function wholeNumber(min: number, expected: string) {
  return numberLike({ integer: true, min }, expected);
}

export const flag = booleanLike('expected true or false');

/** Text with its surrounding spaces removed, which must leave something. */
export function trimmedText(expected: string) {
  return z.string({ error: expected }).trim().min(1, { error: expected });
}

export function text(expected = 'expected text') {
  return z.string({ error: expected });
}

const httpStatus = numberLike({ integer: true, min: 100, max: 599 }, 'expected an HTTP status code (100 to 599)');

/** HTTP status codes as a list (`[429, 503]`) or as comma-separated text (`"429, 503"`). */
export const statusCodes = z.preprocess(
  (value) => (typeof value === 'string' ? commaList(value) : value),
  z.array(httpStatus, { error: 'expected a list of HTTP status codes' }),
);

/** Comma-separated text (`"SUCCESS, DONE"`), as Spinnaker's webhook status lists are written. */
export function commaList(value: string): string[] {
  return value
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part !== '');
}

/** One of `values` (all upper case), written in any case: Spinnaker exports are not consistent about it. */
export function upperCaseEnum<const T extends readonly [string, ...string[]]>(values: T, expected: string) {
  return z
    .string({ error: expected })
    .trim()
    .transform((value) => value.toUpperCase())
    .pipe(z.enum(values, { error: expected }));
}

import { z } from 'zod';

/** Spinnaker exports write numbers as text (`"30"`); such text is read as the number it spells. */
function numberFromText(value: unknown): unknown {
  return typeof value === 'string' && /^\s*-?\d+(\.\d+)?\s*$/.test(value) ? Number(value) : value;
}

function booleanFromText(value: unknown): unknown {
  if (value === 'true') return true;
  if (value === 'false') return false;
  return value;
}

/** Exports write `null` for fields nobody filled in; treat it as absent so defaults apply. */
function absentIfNull(value: unknown): unknown {
  return value === null ? undefined : value;
}

/** A number of seconds, 0 or more, written as a number or as text. */
export function seconds(expected = 'expected a number of seconds, 0 or more') {
  return z.preprocess(numberFromText, z.number({ error: expected }).min(0, { error: expected }).finite({ error: expected }));
}

/** A whole number from `min` up, written as a number or as text. */
export function wholeNumber(min: number, expected: string) {
  return z.preprocess(numberFromText, z.number({ error: expected }).int({ error: expected }).min(min, { error: expected }));
}

export const flag = z.preprocess(booleanFromText, z.boolean({ error: 'expected true or false' }));

/** An optional field whose `null` means "not given", so its default applies. */
export function optional<T extends z.ZodType>(schema: T) {
  return z.preprocess(absentIfNull, schema.optional());
}

/** A field with a default, used when it is absent or `null`. */
export function defaulted<T extends z.ZodType>(schema: T, fallback: z.util.NoUndefined<z.output<T>>) {
  return z.preprocess(absentIfNull, schema.default(fallback));
}

const statusExpected = 'expected an HTTP status code (100 to 599)';
const httpStatus = z.preprocess(numberFromText, z.number({ error: statusExpected }).int({ error: statusExpected }).min(100, { error: statusExpected }).max(599, { error: statusExpected }));

/** HTTP status codes as a list (`[429, 503]`) or as comma-separated text (`"429, 503"`). */
export const statusCodes = z.preprocess(
  (value) => (typeof value === 'string' ? value.split(',').map((part) => part.trim()).filter((part) => part !== '') : value),
  z.array(httpStatus, { error: 'expected a list of HTTP status codes' }),
);

/** Comma-separated text (`"SUCCESS, DONE"`), as Spinnaker's webhook status lists are written. */
export function commaList(text: string | undefined): string[] {
  return (text ?? '')
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part !== '');
}

export const nonEmptyText = (expected: string) => z.string({ error: expected }).trim().min(1, { error: expected });

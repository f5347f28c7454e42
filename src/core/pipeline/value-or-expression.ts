import { z } from 'zod';

/**
 * Stage fields are evaluated when the stage starts, so at save time a number or boolean field may hold an
 * expression instead (`waitTime: "${parameters.delay}"`). A string holding `${…}` is such an expression;
 * the expression language itself is checked elsewhere.
 */
export function isExpression(value: unknown): value is string {
  return typeof value === 'string' && /\$\{[\s\S]*\}/.test(value);
}

/** Accepts an expression, or whatever `schema` accepts; anything else is one issue saying `expected`. */
export function orExpression<S extends z.ZodType>(schema: S, expected: string) {
  return z.unknown().transform((input, context): z.output<S> | string => {
    if (isExpression(input)) return input;
    const parsed = schema.safeParse(input);
    if (parsed.success) return parsed.data;
    context.addIssue({ code: 'custom', message: expected, input });
    return z.NEVER;
  });
}

export interface NumberBounds {
  readonly integer?: boolean;
  readonly min?: number;
  readonly max?: number;
}

function describeNumber({ integer, min, max }: NumberBounds): string {
  const kind = integer ? 'a whole number' : 'a number';
  if (min !== undefined && max !== undefined) return `${kind} from ${min} to ${max}`;
  if (min !== undefined) return `${kind} ≥ ${min}`;
  if (max !== undefined) return `${kind} ≤ ${max}`;
  return kind;
}

const numericText = /^\s*[-+]?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?\s*$/;

/**
 * A number, or a string holding one: Spinnaker's UI writes many numeric fields as strings ("30"), and
 * Orca's JSON mapper accepts both. The parsed value is always a number.
 */
export function numberLike(bounds: NumberBounds = {}, expected: string = describeNumber(bounds)) {
  return z.unknown().transform((input, context): number => {
    const value = typeof input === 'string' && numericText.test(input) ? Number(input) : input;
    const fits =
      typeof value === 'number' &&
      Number.isFinite(value) &&
      (!bounds.integer || Number.isInteger(value)) &&
      (bounds.min === undefined || value >= bounds.min) &&
      (bounds.max === undefined || value <= bounds.max);
    if (fits) return value;
    context.addIssue({ code: 'custom', message: expected, input });
    return z.NEVER;
  });
}

/** true/false, or the strings "true"/"false" as some exports carry them. */
export function booleanLike(expected = 'true or false') {
  return z.unknown().transform((input, context): boolean => {
    if (input === true || input === 'true') return true;
    if (input === false || input === 'false') return false;
    context.addIssue({ code: 'custom', message: expected, input });
    return z.NEVER;
  });
}

/** The usual combination: a number-like value or an expression, with one sentence saying both. */
export function numberOrExpression(bounds: NumberBounds = {}, expected = `${describeNumber(bounds)} or an expression`) {
  return orExpression(numberLike(bounds), expected);
}

export function booleanOrExpression(expected = 'true, false or an expression') {
  return orExpression(booleanLike(), expected);
}

export function enumOrExpression<const T extends readonly [string, ...string[]]>(
  values: T,
  expected = `one of ${values.join(', ')} or an expression`,
) {
  return orExpression(z.enum(values), expected);
}

/** A required non-empty string whose every failure (missing, wrong type, empty) says the same `expected`. */
export function nonEmptyText(expected: string) {
  return z.string({ error: expected }).min(1, { error: expected });
}

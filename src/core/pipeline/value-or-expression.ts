import { z } from 'zod';

/**
 * Stage fields are evaluated when the stage starts, so at save time a number or boolean field may hold an
 * expression instead (`waitTime: "${parameters.delay}"`). A string holding `${…}` is such an expression;
 * the expression language itself is checked elsewhere.
 */
export function isExpression(value: unknown): value is string {
  return typeof value === 'string' && /\$\{[\s\S]*\}/.test(value);
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

/** A required non-empty string whose every failure (missing, wrong type, empty) says the same `expected`. */
export function nonEmptyText(expected: string) {
  return z.string({ error: expected }).min(1, { error: expected });
}

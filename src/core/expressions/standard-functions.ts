import { parse as parseYaml } from 'yaml';
import { withParameters } from './arity.js';
import { decodeBase64, encodeBase64 } from './base64.js';
import { ExpressionError } from './failure.js';
import type { ExpressionFunction } from './scope.js';
import { describeValue, kindOf } from './values.js';

function expectString(value: unknown): string {
  if (typeof value !== 'string') throw new ExpressionError(`expects a string, got ${describeValue(value)}`);
  return value;
}

function reasonOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function toInt(value: unknown): number {
  if (typeof value === 'number') return Math.trunc(value);
  if (typeof value === 'string' && /^\s*[+-]?\d+\s*$/.test(value)) {
    const parsed = Number(value);
    if (Number.isSafeInteger(parsed)) return parsed;
  }
  throw new ExpressionError(`cannot turn ${describeValue(value)} into a whole number`);
}

function toFloat(value: unknown): number {
  if (typeof value === 'number') return value;
  if (typeof value === 'string' && value.trim() !== '') {
    const parsed = Number(value);
    if (Number.isFinite(parsed)) return parsed;
  }
  throw new ExpressionError(`cannot turn ${describeValue(value)} into a number`);
}

/** `true`/`false` (any case) and booleans only: SpEL would read anything else as false, hiding typos. */
export function toBoolean(value: unknown): boolean {
  if (typeof value === 'boolean') return value;
  if (typeof value === 'string') {
    const word = value.trim().toLowerCase();
    if (word === 'true' || word === 'false') return word === 'true';
  }
  throw new ExpressionError(`cannot turn ${describeValue(value)} into true or false`);
}

function fromBase64(value: unknown): string {
  try {
    return decodeBase64(expectString(value));
  } catch (error) {
    if (error instanceof ExpressionError) throw error;
    throw new ExpressionError(`cannot decode ${describeValue(value)}: it is not base64 of UTF-8 text`);
  }
}

function readJson(value: unknown): unknown {
  try {
    return JSON.parse(expectString(value));
  } catch (error) {
    if (error instanceof ExpressionError) throw error;
    throw new ExpressionError(`got text that is not valid JSON: ${reasonOf(error)}`);
  }
}

function readYaml(value: unknown): unknown {
  try {
    return parseYaml(expectString(value));
  } catch (error) {
    if (error instanceof ExpressionError) throw error;
    throw new ExpressionError(`got text that is not valid YAML: ${reasonOf(error)}`);
  }
}

function sizeOf(value: unknown): number {
  const kind = kindOf(value);
  if (kind === 'string' || kind === 'list') return (value as string | unknown[]).length;
  if (kind === 'map') return Object.keys(value as object).length;
  throw new ExpressionError(`expects a string, a list or a map, got ${describeValue(value)}`);
}

/**
 * Functions every expression can call; pure, and bounded by the size of their input. `default(x, y)`
 * is not here: it must see a failure of `x` before `x` has a value, so the interpreter handles it.
 */
export const standardFunctions: Readonly<Record<string, ExpressionFunction>> = {
  toJson: withParameters(['value'], (value) => JSON.stringify(value)),
  toInt: withParameters(['value'], toInt),
  toFloat: withParameters(['value'], toFloat),
  toBoolean: withParameters(['value'], toBoolean),
  toBase64: withParameters(['text'], (text) => encodeBase64(expectString(text))),
  fromBase64: withParameters(['base64'], fromBase64),
  alphanumerical: withParameters(['text'], (text) => expectString(text).replace(/[^A-Za-z0-9]/g, '')),
  readJson: withParameters(['text'], readJson),
  readYaml: withParameters(['text'], readYaml),
  len: withParameters(['value'], sizeOf),
  size: withParameters(['value'], sizeOf),
};

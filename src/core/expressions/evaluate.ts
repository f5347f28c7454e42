import { compileExpression } from './compile.js';
import { ExpressionError, type ExpressionFailure, type ExpressionResult } from './failure.js';
import { interpret } from './interpreter.js';
import { resolveLimits, type ExpressionLimits } from './limits.js';
import type { ExpressionScope } from './scope.js';
import { toBoolean } from './standard-functions.js';
import { soleExpression, splitTemplate, unwrapExpression } from './template.js';
import { copyData, describeValue, textOf } from './values.js';
import { mapStrings } from './walk.js';

export interface EvaluationOptions {
  readonly limits?: Partial<ExpressionLimits>;
  /** JSON path of the evaluated value itself, where the paths of failures start; `$` by default. */
  readonly path?: string;
}

type Outcome = { readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly reason: string };

/**
 * Evaluates every `${ … }` in every string of a JSON value and returns a new value (the input is not
 * changed). A string that is exactly one `${ … }` (give or take whitespace) becomes the expression's
 * value with its type; anywhere else values are written into the text (null as nothing, lists and
 * maps as JSON). Every failing expression is reported, with its path; none is left in as text.
 */
export function evaluateDeep(value: unknown, scope: ExpressionScope, options: EvaluationOptions = {}): ExpressionResult {
  const limits = resolveLimits(options.limits);
  const failures: ExpressionFailure[] = [];
  const result = mapStrings(value, options.path ?? '$', (text, path) => {
    const evaluated = evaluateTemplate(text, path, scope, limits);
    if (evaluated.ok) return evaluated.value;
    failures.push(...evaluated.failures);
    return text;
  });
  return failures.length > 0 ? { ok: false, failures } : { ok: true, value: result };
}

/**
 * Evaluates a bare expression, as written in `stageEnabled.expression` or an expression precondition;
 * one wrapped in `${ }` is accepted too.
 */
export function evaluateExpression(source: string, scope: ExpressionScope, options: EvaluationOptions = {}): ExpressionResult {
  const limits = resolveLimits(options.limits);
  const inner = unwrapExpression(source);
  const outcome = evaluateSource(inner, scope, limits);
  return outcome.ok ? outcome : { ok: false, failures: [{ path: options.path ?? '$', expression: inner, reason: outcome.reason }] };
}

/** As evaluateExpression, for a yes/no question: the value must be a boolean or the string `true`/`false`. */
export function evaluateCondition(source: string, scope: ExpressionScope, options: EvaluationOptions = {}): ExpressionResult<boolean> {
  const result = evaluateExpression(source, scope, options);
  if (!result.ok) return result;
  try {
    return { ok: true, value: toBoolean(result.value) };
  } catch {
    const reason = `the condition must be true or false, but is ${describeValue(result.value)}`;
    return { ok: false, failures: [{ path: options.path ?? '$', expression: unwrapExpression(source), reason }] };
  }
}

function evaluateTemplate(text: string, path: string, scope: ExpressionScope, limits: ExpressionLimits): ExpressionResult {
  if (!text.includes('${')) return { ok: true, value: text };
  const split = splitTemplate(text);
  if (!split.ok) return { ok: false, failures: [{ path, expression: split.source, reason: split.reason }] };
  const sole = soleExpression(split.segments);
  if (sole !== undefined) {
    const outcome = evaluateSource(sole, scope, limits);
    return outcome.ok ? outcome : { ok: false, failures: [{ path, expression: sole, reason: outcome.reason }] };
  }
  const failures: ExpressionFailure[] = [];
  let joined = '';
  for (const segment of split.segments) {
    if (segment.kind === 'text') {
      joined += segment.text;
      continue;
    }
    const outcome = evaluateSource(segment.source, scope, limits);
    if (outcome.ok) joined += textOf(outcome.value);
    else failures.push({ path, expression: segment.source, reason: outcome.reason });
  }
  if (failures.length > 0) return { ok: false, failures };
  if (joined.length > limits.maxStringLength) {
    const reason = `the text is ${joined.length} characters long once evaluated, more than the limit of ${limits.maxStringLength}`;
    return { ok: false, failures: [{ path, expression: text, reason }] };
  }
  return { ok: true, value: joined };
}

function evaluateSource(source: string, scope: ExpressionScope, limits: ExpressionLimits): Outcome {
  const compiled = compileExpression(source, limits);
  if (!compiled.ok) return compiled;
  try {
    return { ok: true, value: copyData(interpret(compiled.node, scope, limits)) };
  } catch (error) {
    if (error instanceof ExpressionError) return { ok: false, reason: error.message };
    if (error instanceof RangeError) return { ok: false, reason: 'the expression or its result nests too deeply' };
    throw error;
  }
}

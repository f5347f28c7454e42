import { calledFunctions } from './calls.js';
import { compileExpression } from './compile.js';
import type { ExpressionFailure } from './failure.js';
import { resolveLimits, type ExpressionLimits } from './limits.js';
import { standardFunctions } from './standard-functions.js';
import { splitTemplate, unwrapExpression } from './template.js';
import { mapStrings } from './walk.js';

export interface SyntaxCheckOptions {
  readonly limits?: Partial<ExpressionLimits>;
  /** JSON path of the value being checked; `$` by default. */
  readonly path?: string;
  /**
   * Functions that will be in scope besides the standard ones (for pipelines, `executionFunctionNames`).
   * When given, a call to any other function is reported; when absent, function names are not checked.
   */
  readonly knownFunctions?: readonly string[];
}

/** Checks, without evaluating anything, that every `${ … }` in a JSON value parses: for save-time validation. */
export function findExpressionSyntaxErrors(value: unknown, options: SyntaxCheckOptions = {}): ExpressionFailure[] {
  const limits = resolveLimits(options.limits);
  const failures: ExpressionFailure[] = [];
  mapStrings(value, options.path ?? '$', (text, path) => {
    if (!text.includes('${')) return text;
    const split = splitTemplate(text);
    if (!split.ok) {
      failures.push({ path, expression: split.source, reason: split.reason });
      return text;
    }
    for (const segment of split.segments) {
      if (segment.kind === 'expression') failures.push(...checkOne(segment.source, path, limits, options.knownFunctions));
    }
    return text;
  });
  return failures;
}

/** The same check for one bare expression (`stageEnabled.expression`, expression preconditions). */
export function checkExpressionSyntax(source: string, options: SyntaxCheckOptions = {}): ExpressionFailure[] {
  return checkOne(unwrapExpression(source), options.path ?? '$', resolveLimits(options.limits), options.knownFunctions);
}

function checkOne(source: string, path: string, limits: ExpressionLimits, knownFunctions?: readonly string[]): ExpressionFailure[] {
  const compiled = compileExpression(source, limits);
  if (!compiled.ok) return [{ path, expression: source, reason: compiled.reason }];
  if (!knownFunctions) return [];
  const known = new Set([...knownFunctions, ...Object.keys(standardFunctions), 'default']);
  const unknown = [...new Set(calledFunctions(compiled.node))].filter((name) => !known.has(name));
  return unknown.map((name) => ({
    path,
    expression: source,
    reason: `function \`#${name}\` is unknown (functions: ${[...known].sort().map((each) => `#${each}`).join(', ')})`,
  }));
}

import type { ExpressionLimits } from './limits.js';
import { parseExpression, type ParseResult } from './parser.js';

/** Parses one expression's source after checking its length, the first bound on the work it can cause. */
export function compileExpression(source: string, limits: ExpressionLimits): ParseResult {
  if (source.length > limits.maxExpressionLength) {
    return {
      ok: false,
      reason: `the expression is ${source.length} characters long, more than the limit of ${limits.maxExpressionLength}`,
    };
  }
  return parseExpression(source, limits.maxDepth);
}

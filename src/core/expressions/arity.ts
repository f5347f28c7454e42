import { ExpressionError } from './failure.js';
import type { ExpressionFunction } from './scope.js';

/** Wraps a function so a wrong number of arguments fails with its parameter names. */
export function withParameters(params: readonly string[], run: (...args: unknown[]) => unknown): ExpressionFunction {
  return (...args) => {
    if (args.length !== params.length) {
      const expected = params.length === 0 ? 'no arguments' : `(${params.join(', ')})`;
      throw new ExpressionError(`takes ${expected}, got ${args.length} argument${args.length === 1 ? '' : 's'}`);
    }
    return run(...args);
  };
}

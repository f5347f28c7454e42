/**
 * Bounds on one evaluation. The core has no clock, so work is bounded by counting steps instead of
 * time, and each `${ }` gets its own budget.
 */
export interface ExpressionLimits {
  /**
   * Steps of one expression: a step per node visited, and a step per 1,000 characters of text that a
   * function, a method or `+` reads or writes (so a short expression cannot copy a large value many times).
   */
  readonly maxSteps: number;
  /** Characters in one expression's source. */
  readonly maxExpressionLength: number;
  /** Characters in any string an expression produces (`+`, `#toJson`, interpolation, …). */
  readonly maxStringLength: number;
  /** How deeply an expression's parts may nest, e.g. `a.b.c` is 3 deep (bounds recursion over the tree). */
  readonly maxDepth: number;
}

export const defaultExpressionLimits: ExpressionLimits = {
  maxSteps: 10_000,
  maxExpressionLength: 10_000,
  maxStringLength: 1_000_000,
  maxDepth: 200,
};

export function resolveLimits(overrides: Partial<ExpressionLimits> = {}): ExpressionLimits {
  return { ...defaultExpressionLimits, ...overrides };
}

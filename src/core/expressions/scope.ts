/**
 * A function callable from expressions as `#name(…)` or `name(…)`. It receives data values (see
 * values.ts) and returns data; to fail with a reason the user should read, it throws an
 * ExpressionError (with `missing: true` if what it looked for is absent and `default(…)` may apply).
 */
export type ExpressionFunction = (...args: unknown[]) => unknown;

/** What an expression can see: variables by name, and functions beyond the standard ones. */
export interface ExpressionScope {
  readonly variables: Readonly<Record<string, unknown>>;
  readonly functions?: Readonly<Record<string, ExpressionFunction>>;
}

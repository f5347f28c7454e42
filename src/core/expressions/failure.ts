/** One expression that could not be parsed or evaluated, and where it sits in the evaluated value. */
export interface ExpressionFailure {
  /** JSON path of the string that holds the expression, e.g. `$.payload.items[2].url`; `$` for a bare expression. */
  readonly path: string;
  /** The expression's source text, without the `${ }` around it. */
  readonly expression: string;
  /** What went wrong, for people: `unknown variable \`foo\``, `parse error at column 7: …`. */
  readonly reason: string;
}

export type ExpressionResult<T = unknown> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly failures: readonly ExpressionFailure[] };

/**
 * Thrown inside an evaluation (by the interpreter or by a function such as `#stage`) to stop it with a
 * reason; the evaluator turns it into an {@link ExpressionFailure}. `missing` marks a value that is
 * absent (no such property, index or stage output, or a null on the way): `default(x, y)`, `x ?: y`
 * and `x ?? y` fall back on exactly those, and let every other failure through.
 */
export class ExpressionError extends Error {
  readonly missing: boolean;

  constructor(reason: string, options: { missing?: boolean } = {}) {
    super(reason);
    this.name = 'ExpressionError';
    this.missing = options.missing ?? false;
  }
}

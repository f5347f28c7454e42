/**
 * The expression language of Gennaker pipelines: `${ … }` in any string of a stage's configuration,
 * evaluated at stage start, sandboxed (data only, see values.ts) and bounded (see limits.ts). Parsing
 * uses jsep; evaluation is our own small interpreter. A failing expression is an error naming the
 * expression, its JSON path and the reason; it is never passed on as text. docs/expressions.md is the
 * user-facing description.
 *
 * What Spinnaker (SpEL) users write, and what it means here:
 *
 * | SpEL                                        | Gennaker                                                  |
 * |---------------------------------------------|-----------------------------------------------------------|
 * | `#stage('Deploy').outputs.x`, `#toJson(x)`  | same; the `#` is optional (`stage('Deploy')`)             |
 * | `parameters.env`, `parameters['my-param']`  | same; a missing key fails, naming the keys that exist     |
 * | `a and b`, `a or b`, `not a`, `!a`          | same, as are `&&`, `\|\|`                                 |
 * | `eq ne lt le gt ge div mod`                 | same as `== != < <= > >= / %`                             |
 * | `a ? b : c`, `a ?: b` (Elvis), `a?.b`       | same; `?:`, `??` and `?.` also catch a missing key        |
 * | `'it''s'`, `"say ""hi"""`                   | same, and `'it\'s'`                                       |
 * | `{'k': v}`, `{a, b}`, `{:}`                 | map, list, empty map; `[a, b]` and `{}` also work         |
 * | `x.equals(y)`, `s.contains(t)`, `s.split(',')`, `s.toLowerCase()`, … | a fixed set of methods (methods.ts); `split`/`replace` take text, not regexes |
 * | `x.length()`, `list.size()`                 | same, and `#len(x)`, `#size(x)`, `x.length`               |
 * | `#readJson`, `#readYaml`, `#toInt`, `#toFloat`, `#toBoolean`, `#toBase64`, `#fromBase64`, `#alphanumerical` | same |
 * | `#judgment('Approve')` / `#judgement`       | same                                                      |
 * | `T(java.lang.Math)`, `new`, `#this`, `#root`, bean refs, `matches`, `.?[ ]`, `.![ ]`, `#fromUrl` and other I/O | not supported (a syntax or "unknown" error) |
 * | `7 / 2` (integer division in Java)          | 3.5: numbers are JSON numbers                              |
 * | a failed expression is left as raw text     | it fails the evaluation; write `$${` for a literal `${`    |
 */
export { evaluateCondition, evaluateDeep, evaluateExpression, type EvaluationOptions } from './evaluate.js';
export { checkExpressionSyntax, findExpressionSyntaxErrors, type SyntaxCheckOptions } from './syntax.js';
export { executionFunctionNames, executionFunctions, type ExecutionStageView, type ExecutionView } from './execution-functions.js';
export { standardFunctions } from './standard-functions.js';
export { ExpressionError, type ExpressionFailure, type ExpressionResult } from './failure.js';
export { defaultExpressionLimits, type ExpressionLimits } from './limits.js';
export type { ExpressionFunction, ExpressionScope } from './scope.js';

import type { z } from 'zod';
import { valueAt } from './issue.js';
import { isExpression } from './value-or-expression.js';

/** Whether `value` is an expression or holds one in any element or field, however deep. */
function containsExpression(value: unknown, seen: Set<object> = new Set()): boolean {
  if (isExpression(value)) return true;
  if (typeof value !== 'object' || value === null || seen.has(value)) return false;
  seen.add(value);
  return Object.values(value).some((inner) => containsExpression(inner, seen));
}

function isAtExpression(fields: unknown, path: readonly PropertyKey[]): boolean {
  const passesThroughOne = path.some((_, length) => isExpression(valueAt(fields, path.slice(0, length))));
  return passesThroughOne || containsExpression(valueAt(fields, path));
}

/**
 * At save time a stage's fields are parsed as written, but the engine parses them only after evaluating
 * their expressions. A problem at an expression (at its path, on the way there, or inside the value there)
 * cannot be judged yet, so it is left for run time. Fields in `deferredKeys` are parsed as written at run
 * time too, so their problems stand.
 */
export function issuesBeyondExpressions(
  issues: readonly z.core.$ZodIssue[],
  fields: Readonly<Record<string, unknown>>,
  deferredKeys: readonly string[],
): z.core.$ZodIssue[] {
  return issues.filter((issue) => {
    const [first] = issue.path;
    if (typeof first === 'string' && deferredKeys.includes(first)) return true;
    return !isAtExpression(fields, issue.path);
  });
}

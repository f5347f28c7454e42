import { jsonPath, type PathSegment } from './issue.js';

/**
 * One difference between two revisions of a pipeline document, at a JSON path such as
 * `$.stages[1].waitTime`. Arrays are compared position by position, so inserting a stage shows as
 * changes to the stages after it and one addition at the end: what a reviewer reading the JSON sees.
 */
export type RevisionChange =
  | { readonly kind: 'added'; readonly path: string; readonly after: unknown }
  | { readonly kind: 'removed'; readonly path: string; readonly before: unknown }
  | { readonly kind: 'changed'; readonly path: string; readonly before: unknown; readonly after: unknown };

type Plain = Readonly<Record<string, unknown>>;

function isPlainObject(value: unknown): value is Plain {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function changesAt(segments: readonly PathSegment[], before: unknown, after: unknown, into: RevisionChange[]): void {
  if (before === undefined && after === undefined) return;
  const path = jsonPath(segments);
  if (before === undefined) {
    into.push({ kind: 'added', path, after });
    return;
  }
  if (after === undefined) {
    into.push({ kind: 'removed', path, before });
    return;
  }
  if (Array.isArray(before) && Array.isArray(after)) {
    const length = Math.max(before.length, after.length);
    for (let index = 0; index < length; index++) changesAt([...segments, index], before[index], after[index], into);
    return;
  }
  if (isPlainObject(before) && isPlainObject(after)) {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
    for (const key of keys) changesAt([...segments, key], before[key], after[key], into);
    return;
  }
  if (!Object.is(before, after)) into.push({ kind: 'changed', path, before, after });
}

/**
 * What changed from `before` to `after` (JSON values), leaf by leaf: object keys in sorted order, array
 * items by position. A value whose shape changed (an object became a list, a number a string) is one change.
 * Identical documents give an empty list.
 */
export function revisionDiff(before: unknown, after: unknown): RevisionChange[] {
  const changes: RevisionChange[] = [];
  changesAt([], before, after, changes);
  return changes;
}

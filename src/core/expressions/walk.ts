import { childPath } from './json-path.js';
import { defineKey, isMap } from './values.js';

/**
 * Rebuilds a JSON value with every string replaced by `visit(string, path)`, leaving the input
 * untouched. Keys are copied as they are (expressions in keys are not evaluated) and defined rather
 * than assigned, so a `__proto__` key in stored JSON stays data.
 */
export function mapStrings(value: unknown, path: string, visit: (text: string, path: string) => unknown): unknown {
  if (typeof value === 'string') return visit(value, path);
  if (Array.isArray(value)) return value.map((item, index) => mapStrings(item, childPath(path, index), visit));
  if (isMap(value)) {
    const copy: Record<string, unknown> = {};
    for (const key of Object.keys(value)) defineKey(copy, key, mapStrings(value[key], childPath(path, key), visit));
    return copy;
  }
  return value;
}

import { ExpressionError } from './failure.js';
import { childPath } from './json-path.js';
import { forbiddenNames } from './parser.js';

/**
 * The values expressions work on are JSON data and nothing else: null, booleans, finite numbers,
 * strings, lists (arrays) and maps (objects whose prototype is Object.prototype or null). Only own,
 * enumerable data properties are read, never a getter, a method or anything inherited, so an
 * expression cannot reach a function, a prototype or a class instance such as a `Secret`.
 */
export type DataKind = 'null' | 'boolean' | 'number' | 'string' | 'list' | 'map';

const maxListedKeys = 20;

export function isMap(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const prototype: unknown = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

/** The kind of a data value, or undefined for anything that is not JSON data. `undefined` counts as null. */
export function kindOf(value: unknown): DataKind | undefined {
  if (value === null || value === undefined) return 'null';
  switch (typeof value) {
    case 'boolean':
      return 'boolean';
    case 'number':
      return Number.isFinite(value) ? 'number' : undefined;
    case 'string':
      return 'string';
    default:
      if (Array.isArray(value)) return 'list';
      return isMap(value) ? 'map' : undefined;
  }
}

/** "a string 'abc'", "a list of 3 items": for failure messages. */
export function describeValue(value: unknown): string {
  const kind = kindOf(value);
  switch (kind) {
    case 'null':
      return 'null';
    case 'boolean':
      return `a boolean ${String(value)}`;
    case 'number':
      return `a number ${String(value)}`;
    case 'string':
      return `a string ${quote(value as string)}`;
    case 'list':
      return `a list of ${(value as unknown[]).length} items`;
    case 'map':
      return 'a map';
    case undefined:
      return `a non-data value (${hostTypeName(value)})`;
    default: {
      const unhandled: never = kind;
      return unhandled;
    }
  }
}

/** A string shown in a message, cut short so one huge value cannot flood a failure. */
export function quote(text: string): string {
  const shown = text.length > 60 ? `${text.slice(0, 57)}…` : text;
  return `'${shown}'`;
}

function hostTypeName(value: unknown): string {
  if (typeof value === 'number') return String(value);
  if (typeof value !== 'object' || value === null) return typeof value;
  return Object.prototype.toString.call(value).slice(8, -1);
}

/** Lets a value into an evaluation if it is data; `undefined` becomes null. */
export function admit(value: unknown, what: () => string): unknown {
  if (kindOf(value) === undefined) throw new ExpressionError(`${what()} is not JSON data (${hostTypeName(value)})`);
  return value === undefined ? null : value;
}

/**
 * A deep copy of a result, so the caller never shares objects with the scope, checking on the way
 * that it is data all the way down. Keys are defined, not assigned, so a key named `__proto__` stays
 * an ordinary key.
 */
export function copyData(value: unknown, path = '$'): unknown {
  const kind = kindOf(value);
  if (kind === 'list') return (value as unknown[]).map((item, index) => copyData(item, childPath(path, index)));
  if (kind === 'map') {
    const copy: Record<string, unknown> = {};
    for (const key of Object.keys(value as object)) {
      const descriptor = Object.getOwnPropertyDescriptor(value, key);
      const keyPath = childPath(path, key);
      if (!descriptor || !('value' in descriptor)) throw new ExpressionError(`\`${keyPath}\` of the result is not a data property`);
      defineKey(copy, key, copyData(descriptor.value, keyPath));
    }
    return copy;
  }
  return admit(value, () => (path === '$' ? 'the result' : `\`${path}\` of the result`));
}

export function defineKey(target: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

/**
 * Reads `object[key]` under the sandbox rules. A property or index that is not there, or a null on the
 * way, is a *missing* failure (see ExpressionError). `owner` names the object for a message; it is
 * a function because rendering it costs more than the read itself, and is only needed on failure.
 */
export function readMember(object: unknown, key: unknown, owner: () => string): unknown {
  const kind = kindOf(object);
  if (kind === 'null') {
    throw new ExpressionError(`cannot read ${describeKey(key)} of null (\`${owner()}\` is null)`, { missing: true });
  }
  if (kind === 'list' || kind === 'string') return readIndexed(object as string | readonly unknown[], kind, key, owner);
  if (kind === 'map') return readKey(object as Record<string, unknown>, key, owner);
  throw new ExpressionError(`cannot read ${describeKey(key)} of \`${owner()}\`, which is ${describeValue(object)}`);
}

function describeKey(key: unknown): string {
  return typeof key === 'string' ? `property \`${key}\`` : `index ${String(key)}`;
}

function readIndexed(object: string | readonly unknown[], kind: 'list' | 'string', key: unknown, owner: () => string): unknown {
  if (key === 'length') return object.length;
  if (typeof key !== 'number' || !Number.isInteger(key) || key < 0) {
    throw new ExpressionError(
      `\`${owner()}\` is ${kind === 'list' ? 'a list' : 'a string'}, read by index [0], [1], …; got ${describeValue(key)}`,
    );
  }
  if (key >= object.length) {
    throw new ExpressionError(`index ${key} is out of range: \`${owner()}\` has ${object.length} ${kind === 'list' ? 'items' : 'characters'}`, {
      missing: true,
    });
  }
  return admit(object[key], () => `\`${owner()}\`[${key}]`);
}

function readKey(object: Record<string, unknown>, key: unknown, owner: () => string): unknown {
  if (typeof key !== 'string' && typeof key !== 'number') {
    throw new ExpressionError(`a map key must be a string or a number, got ${describeValue(key)}`);
  }
  const name = String(key);
  if (forbiddenNames.has(name)) throw new ExpressionError(`\`${name}\` is not accessible in expressions`);
  const descriptor = Object.getOwnPropertyDescriptor(object, name);
  if (!descriptor || !descriptor.enumerable) {
    throw new ExpressionError(`property \`${name}\` does not exist on \`${owner()}\` ${availableKeys(object)}`, { missing: true });
  }
  if (!('value' in descriptor)) throw new ExpressionError(`property \`${name}\` of \`${owner()}\` is not a data property`);
  return admit(descriptor.value, () => `\`${owner()}.${name}\``);
}

/** "(available: a, b, c)" — what the user could have meant. */
export function availableKeys(object: object): string {
  return listNames(Object.keys(object));
}

export function listNames(names: readonly string[]): string {
  if (names.length === 0) return '(it is empty)';
  const shown = names.slice(0, maxListedKeys).join(', ');
  return names.length > maxListedKeys ? `(available: ${shown}, and ${names.length - maxListedKeys} more)` : `(available: ${shown})`;
}

/** How a value reads inside text: strings as they are, null as nothing, lists and maps as JSON. */
export function textOf(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

/** Structural equality of data, as SpEL compares lists and maps with `equals`. */
export function dataEqual(left: unknown, right: unknown): boolean {
  const kind = kindOf(left);
  if (kind !== kindOf(right)) return false;
  if (kind === 'list') {
    const a = left as readonly unknown[];
    const b = right as readonly unknown[];
    return a.length === b.length && a.every((item, index) => dataEqual(item, b[index]));
  }
  if (kind === 'map') {
    const a = left as Record<string, unknown>;
    const b = right as Record<string, unknown>;
    const keys = Object.keys(a);
    return keys.length === Object.keys(b).length && keys.every((key) => Object.hasOwn(b, key) && dataEqual(a[key], b[key]));
  }
  return kind === 'null' || left === right;
}

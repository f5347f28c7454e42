import type { z } from 'zod';
import { GennakerError, type ErrorDetail } from '../core/errors.js';
import { configKeys } from './keys.js';
import { configSchema, type Config } from './schema.js';

/** One source of settings: a nested partial object and a name people recognise ("--port", "GENNAKER_DB"). */
export interface ConfigLayer {
  readonly source: string;
  readonly values: Record<string, unknown>;
  /** For layers built from a key table, the source of each dotted path (e.g. `server.port` → `--port`). */
  readonly sourceByPath?: ReadonlyMap<string, string>;
}

type Plain = Record<string, unknown>;

function isPlainObject(value: unknown): value is Plain {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function setPath(target: Plain, path: readonly string[], value: unknown): void {
  let node = target;
  path.slice(0, -1).forEach((segment) => {
    const next = node[segment];
    if (!isPlainObject(next)) node[segment] = {};
    node = node[segment] as Plain;
  });
  node[path[path.length - 1]!] = value;
}

function getPath(source: unknown, path: readonly PropertyKey[]): unknown {
  return path.reduce<unknown>((node, segment) => (isPlainObject(node) ? node[segment as string] : undefined), source);
}

function deepMerge(base: Plain, over: Plain): Plain {
  const merged: Plain = { ...base };
  for (const [key, value] of Object.entries(over)) {
    const current = merged[key];
    merged[key] = isPlainObject(current) && isPlainObject(value) ? deepMerge(current, value) : value;
  }
  return merged;
}

export function envLayer(env: Readonly<Record<string, string | undefined>>): ConfigLayer {
  const values: Plain = {};
  const sourceByPath = new Map<string, string>();
  for (const key of configKeys) {
    const raw = key.env === undefined ? undefined : env[key.env];
    if (key.env === undefined || raw === undefined || raw === '') continue;
    setPath(values, key.path, raw);
    sourceByPath.set(key.path.join('.'), key.env);
  }
  return { source: 'environment', values, sourceByPath };
}

/** Flags as commander hands them over (camel-cased names, undefined when not given). */
export function flagLayer(flags: Readonly<Record<string, unknown>>): ConfigLayer {
  const values: Plain = {};
  const sourceByPath = new Map<string, string>();
  for (const key of configKeys) {
    const raw = key.flag === undefined ? undefined : flags[key.flag];
    if (key.flag === undefined || raw === undefined) continue;
    setPath(values, key.path, key.flagNegates === true ? raw !== true : raw);
    sourceByPath.set(key.path.join('.'), `--${key.flag.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`);
  }
  return { source: 'flags', values, sourceByPath };
}

function sourceOf(layers: readonly ConfigLayer[], path: readonly PropertyKey[]): string {
  const dotted = path.map(String).join('.');
  for (let i = layers.length - 1; i >= 0; i--) {
    const layer = layers[i]!;
    if (getPath(layer.values, path) !== undefined) return layer.sourceByPath?.get(dotted) ?? layer.source;
  }
  return 'defaults';
}

/** One detail per offending setting; an unknown-keys issue becomes one detail per unknown key. */
function issueDetails(issue: z.core.$ZodIssue, layers: readonly ConfigLayer[]): ErrorDetail[] {
  const located = (path: readonly PropertyKey[], expected: string): ErrorDetail => ({
    path: path.map(String).join('.') || '(root)',
    expected,
    source: sourceOf(layers, path),
  });
  if (issue.code === 'unrecognized_keys') {
    return issue.keys.map((key) => located([...issue.path, key], 'no such setting (check the spelling)'));
  }
  return [located(issue.path, issue.message)];
}

/**
 * Merges layers (later ones win) and parses the result. A failure names every bad setting, the layer
 * it came from and what was expected.
 */
export function resolveConfig(layers: readonly ConfigLayer[]): Config {
  const merged = layers.reduce<Plain>((acc, layer) => deepMerge(acc, layer.values), {});
  const parsed = configSchema.safeParse(merged);
  if (parsed.success) return parsed.data;
  const details = parsed.error.issues.flatMap((issue) => issueDetails(issue, layers));
  const where = details.map((d) => `${d.path} (from ${d.source})`).join(', ');
  throw new GennakerError('GNK_E_CONFIG_INVALID', `invalid configuration: ${where}`, details);
}

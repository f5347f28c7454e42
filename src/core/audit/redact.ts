export const redacted = '[redacted]';

/** Member names whose values are credentials wherever they appear (apiToken, clientSecret, Set-Cookie …). */
const secretKey = /password|passwd|token|secret|authorization|cookie|api[-_]?key|private[-_]?key/i;

/**
 * How deep a summary keeps a request's structure. Real documents (pipelines) stay well above it; a body
 * nested thousands deep is cut here rather than overflowing the stack of whoever reads it next.
 */
export const summaryDepthLimit = 32;
export const tooDeep = '[nested too deep]';

/**
 * The value as plain JSON data (as JSON.stringify would keep it) with every credential replaced by
 * `[redacted]` at any depth, and structure below `summaryDepthLimit` cut, so a summary can be stored,
 * hashed and shown without leaking what a request carried.
 */
export function redactSecrets(value: unknown): unknown {
  return redactJson(value, 0) ?? null;
}

function redactJson(value: unknown, depth: number): unknown {
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value === 'bigint') return value.toString();
  if (typeof value === 'function' || typeof value === 'symbol') return undefined;
  if (value === null || typeof value !== 'object') return value;
  if (depth >= summaryDepthLimit) return tooDeep;
  const toJSON = (value as { toJSON?: unknown }).toJSON;
  if (typeof toJSON === 'function') return redactJson((toJSON as () => unknown).call(value), depth);
  if (Array.isArray(value)) return value.map((item) => redactJson(item, depth + 1) ?? null);
  const members: [string, unknown][] = [];
  for (const [key, member] of Object.entries(value)) {
    const clean = secretKey.test(key) ? redacted : redactJson(member, depth + 1);
    if (clean !== undefined) members.push([key, clean]);
  }
  return Object.fromEntries(members);
}

/** A summary object from anything: an object stays an object, anything else is kept under `value`. */
export function redactedSummary(value: unknown): Record<string, unknown> {
  const clean = redactSecrets(value);
  return clean !== null && typeof clean === 'object' && !Array.isArray(clean) ? (clean as Record<string, unknown>) : { value: clean };
}

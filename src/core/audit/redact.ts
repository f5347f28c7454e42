export const redacted = '[redacted]';

/** Member names whose values are credentials wherever they appear (apiToken, clientSecret, Set-Cookie …). */
const secretKey = /password|passwd|token|secret|authorization|cookie|api[-_]?key|private[-_]?key/i;

/**
 * The value as plain JSON data with every credential replaced by `[redacted]`, at any depth, so a
 * summary can be stored, hashed and shown without leaking what a request carried.
 */
export function redactSecrets(value: unknown): unknown {
  const json = JSON.stringify(value);
  return json === undefined ? null : redactJson(JSON.parse(json) as unknown);
}

function redactJson(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(redactJson);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(Object.entries(value).map(([key, member]) => [key, secretKey.test(key) ? redacted : redactJson(member)]));
}

/** A summary object from anything: an object stays an object, anything else is kept under `value`. */
export function redactedSummary(value: unknown): Record<string, unknown> {
  const clean = redactSecrets(value);
  return clean !== null && typeof clean === 'object' && !Array.isArray(clean) ? (clean as Record<string, unknown>) : { value: clean };
}

/**
 * Malformed request parts for the API fuzz test, drawn from a seeded generator: values that break the
 * shape an OpenAPI schema describes (wrong types, missing and unknown fields, extremes, hostile keys)
 * and raw bodies that are not JSON at all.
 */
export type Random = () => number;

export interface JsonSchema {
  readonly type?: string | readonly string[];
  readonly properties?: Readonly<Record<string, JsonSchema>>;
  readonly required?: readonly string[];
  readonly items?: JsonSchema;
  readonly enum?: readonly unknown[];
  readonly anyOf?: readonly JsonSchema[];
  readonly oneOf?: readonly JsonSchema[];
  readonly allOf?: readonly JsonSchema[];
  readonly additionalProperties?: boolean | JsonSchema;
  readonly minLength?: number;
  readonly maxLength?: number;
  readonly minimum?: number;
  readonly maximum?: number;
}

export function pick<T>(random: Random, values: readonly T[]): T {
  return values[Math.floor(random() * values.length)] as T;
}

/** A value the schema accepts, as far as a simple reading of it goes: the starting point for mutations. */
export function sampleOf(schema: JsonSchema | undefined, random: Random, depth = 0): unknown {
  if (schema === undefined || depth > 6) return 'x';
  if (schema.enum !== undefined && schema.enum.length > 0) return pick(random, schema.enum);
  const alternatives = schema.anyOf ?? schema.oneOf;
  if (alternatives !== undefined && alternatives.length > 0) return sampleOf(pick(random, alternatives), random, depth + 1);
  if (schema.allOf !== undefined && schema.allOf.length > 0) return sampleOf(schema.allOf[0], random, depth + 1);
  const type = Array.isArray(schema.type) ? (schema.type[0] as string) : schema.type;
  switch (type) {
    case 'object': {
      const value: Record<string, unknown> = {};
      for (const [key, property] of Object.entries(schema.properties ?? {})) {
        if (schema.required?.includes(key) || random() < 0.5) value[key] = sampleOf(property, random, depth + 1);
      }
      return value;
    }
    case 'array':
      return [sampleOf(schema.items, random, depth + 1)];
    case 'integer':
      return Math.max(schema.minimum ?? 1, Math.min(schema.maximum ?? 1, 1));
    case 'number':
      return 1.5;
    case 'boolean':
      return true;
    case 'null':
      return null;
    default:
      return 'a'.repeat(Math.max(1, schema.minLength ?? 1));
  }
}

const hostileKeys = ['__proto__', 'constructor', 'prototype', '', ' ', '$where', 'a.b', '\u0000', 'ключ'];

/** Something of the wrong kind, or at the edge of the right kind. */
export function wrongValue(random: Random): unknown {
  return pick<() => unknown>(random, [
    () => null,
    () => true,
    () => -1,
    () => 0,
    () => 2 ** 53 + 7,
    () => -1e308,
    () => 0.000001,
    () => '',
    () => ' ',
    () => 'x'.repeat(70_000),
    () => '\u0000\u202e\ud83d',
    () => '${#root.getClass()}',
    () => '../../etc/passwd',
    () => "'; DROP TABLE applications; --",
    () => [],
    () => [null, 1, 'a', {}],
    () => ({}),
    () => ({ [pick(random, hostileKeys)]: wrongValue(random) }),
    () => nested(200 + Math.floor(random() * 3000)),
  ])();
}

function nested(depth: number): unknown {
  let value: unknown = 'bottom';
  for (let level = 0; level < depth; level += 1) value = level % 2 === 0 ? [value] : { a: value };
  return value;
}

/** Breaks one thing in a sampled body: drops, adds or retypes a field, or replaces it whole. */
export function mutateBody(sample: unknown, random: Random): unknown {
  if (sample === null || typeof sample !== 'object' || Array.isArray(sample) || random() < 0.15) return wrongValue(random);
  const body: Record<string, unknown> = { ...(sample as Record<string, unknown>) };
  const keys = Object.keys(body);
  const choice = random();
  if (choice < 0.3 && keys.length > 0) {
    delete body[pick(random, keys)];
  } else if (choice < 0.5) {
    body[pick(random, [...hostileKeys, 'unexpectedField', 'extra'])] = wrongValue(random);
  } else if (keys.length > 0) {
    const key = pick(random, keys);
    body[key] = random() < 0.3 ? mutateBody(body[key], random) : wrongValue(random);
  } else {
    body['unexpectedField'] = wrongValue(random);
  }
  return body;
}

/** Bodies that are not a JSON document, or not one of the declared content type. */
export function rawBody(random: Random): { text: string; contentType: string } {
  return pick<() => { text: string; contentType: string }>(random, [
    () => ({ text: '{', contentType: 'application/json' }),
    () => ({ text: '{"a":1,}', contentType: 'application/json' }),
    () => ({ text: "{'single': 'quotes'}", contentType: 'application/json' }),
    () => ({ text: 'NaN', contentType: 'application/json' }),
    () => ({ text: '', contentType: 'application/json' }),
    () => ({ text: '\u0000\u0001\u0002', contentType: 'application/json' }),
    () => ({ text: '{"a":1}', contentType: 'text/plain' }),
    () => ({ text: '<xml/>', contentType: 'application/xml' }),
    () => ({ text: 'a=1&b=2', contentType: 'application/x-www-form-urlencoded' }),
    () => ({ text: '--b\r\n\r\n--b--', contentType: 'multipart/form-data; boundary=b' }),
    () => ({ text: '{"a":1}', contentType: 'application/json; charset=latin-9000' }),
    () => ({ text: JSON.stringify({ big: 'x'.repeat(1_100_000) }), contentType: 'application/json' }),
    () => ({ text: '['.repeat(5000) + ']'.repeat(5000), contentType: 'application/json' }),
  ])();
}

/** A path or query parameter value: unusual characters, encodings, lengths and types. */
export function wrongParameter(random: Random): string {
  return pick<() => string>(random, [
    () => '',
    () => '%00',
    () => '%2e%2e%2f',
    () => '..',
    () => '%ZZ',
    () => 'a'.repeat(5000),
    () => '-1',
    () => '1e400',
    () => 'NaN',
    () => '%F0%9F%98%80',
    () => "x'%20OR%201=1",
    () => '%22%3E%3Cscript%3E',
    () => 'UPPER_case-Name',
    () => String(Math.floor(random() * 1e9)),
    () => 'true',
  ])();
}

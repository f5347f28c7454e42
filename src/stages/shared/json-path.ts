/**
 * The part of JSONPath that webhook stages use to pick one value out of a response: `$.a.b`, `a.b`,
 * `a[0].b`, `$['key with spaces']`. Wildcards, filters and slices are refused with a message, so a
 * path copied from a Spinnaker pipeline either works the same or fails saying why.
 */
export type JsonPathResult = { readonly found: true; readonly value: unknown } | { readonly found: false; readonly reason: string };

type Step = string | number;

type Parsed = { readonly ok: true; readonly steps: readonly Step[] } | { readonly ok: false; readonly reason: string };

const nameStart = /[A-Za-z_$]/;
const nameChar = /[A-Za-z0-9_$-]/;

function parsePath(path: string): Parsed {
  const text = path.trim();
  const steps: Step[] = [];
  let index = text.startsWith('$') ? 1 : 0;
  const unsupported = (): Parsed => {
    const where = index < text.length ? `unexpected \`${text[index]}\` at column ${index + 1}` : 'it ends too early';
    return { ok: false, reason: `\`${text}\` is not a supported JSON path (write $.a.b, a[0].b or $['a b']): ${where}` };
  };
  let expectName = index === 0;
  if (expectName && !nameStart.test(text[0] ?? '')) return unsupported();
  while (index < text.length || expectName) {
    if (expectName) {
      let end = index;
      while (end < text.length && nameChar.test(text[end]!)) end++;
      if (end === index) return unsupported();
      steps.push(text.slice(index, end));
      index = end;
      expectName = false;
    } else if (text[index] === '.') {
      index++;
      expectName = true;
    } else if (text[index] === '[') {
      const close = text.indexOf(']', index);
      if (close === -1) return unsupported();
      const inside = text.slice(index + 1, close).trim();
      const quoted = /^'(.*)'$|^"(.*)"$/.exec(inside);
      if (quoted) steps.push(quoted[1] ?? quoted[2] ?? '');
      else if (/^\d+$/.test(inside)) steps.push(Number(inside));
      else return unsupported();
      index = close + 1;
    } else {
      return unsupported();
    }
  }
  return { ok: true, steps };
}

function describeStep(step: Step): string {
  return typeof step === 'number' ? `[${step}]` : `.${step}`;
}

export function readJsonPath(document: unknown, path: string): JsonPathResult {
  const parsed = parsePath(path);
  if (!parsed.ok) return { found: false, reason: parsed.reason };
  let current = document;
  let walked = '$';
  for (const step of parsed.steps) {
    if (typeof step === 'number') {
      if (!Array.isArray(current)) return { found: false, reason: `\`${walked}\` is not a list, so it has no item ${step}` };
      if (step >= current.length) return { found: false, reason: `\`${walked}\` has ${current.length} items, so it has no item ${step}` };
      current = current[step];
    } else {
      if (typeof current !== 'object' || current === null || Array.isArray(current)) {
        return { found: false, reason: `\`${walked}\` is not an object, so it has no key \`${step}\`` };
      }
      if (!Object.hasOwn(current, step)) return { found: false, reason: `\`${walked}\` has no key \`${step}\`` };
      current = (current as Record<string, unknown>)[step];
    }
    walked += describeStep(step);
  }
  return { found: true, value: current };
}

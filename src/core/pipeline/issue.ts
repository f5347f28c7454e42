import type { z } from 'zod';

/** One problem found in a pipeline: where it is, what was expected there, and a sentence for people. */
export interface Issue {
  /** The stage the problem is in, when it is in one (assigned refIds count for linear pipelines). */
  readonly refId?: string;
  /** JSON path into the input, e.g. `$.stages[2].waitTime`. */
  readonly path: string;
  readonly expected: string;
  readonly message: string;
}

export type PathSegment = string | number;

const identifier = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/** `['stages', 2, 'waitTime']` → `$.stages[2].waitTime`; keys that are not identifiers are quoted. */
export function jsonPath(segments: readonly PathSegment[]): string {
  return segments.reduce<string>((path, segment) => {
    if (typeof segment === 'number') return `${path}[${segment}]`;
    return identifier.test(segment) ? `${path}.${segment}` : `${path}[${JSON.stringify(segment)}]`;
  }, '$');
}

const longestShownValue = 60;

/** How an offending value is quoted in a message: short JSON, or a note that the field is missing. */
export function describeValue(value: unknown): string {
  if (value === undefined) return 'nothing (the field is missing)';
  const json = JSON.stringify(value) ?? String(value);
  return json.length > longestShownValue ? `${json.slice(0, longestShownValue - 1)}…` : json;
}

export function valueAt(root: unknown, segments: readonly PropertyKey[]): unknown {
  return segments.reduce<unknown>((node, segment) => {
    if (typeof node !== 'object' || node === null) return undefined;
    return (node as Record<PropertyKey, unknown>)[segment];
  }, root);
}

export interface IssueLocation {
  readonly refId?: string;
  readonly at: readonly PathSegment[];
}

export function issueAt(location: IssueLocation, relative: readonly PathSegment[], expected: string, message: string): Issue {
  const issue = { path: jsonPath([...location.at, ...relative]), expected, message };
  return location.refId === undefined ? issue : { refId: location.refId, ...issue };
}

/** The usual issue: a value that is not what was expected. */
export function unexpectedValue(
  location: IssueLocation,
  relative: readonly PathSegment[],
  expected: string,
  value: unknown,
): Issue {
  return issueAt(location, relative, expected, `expected ${expected}, got ${describeValue(value)}`);
}

const typeNames: Readonly<Record<string, string>> = {
  object: 'an object',
  array: 'a list',
  string: 'a string',
  number: 'a number',
  int: 'a whole number',
  boolean: 'true or false',
  record: 'an object',
};

function bound(issue: { minimum?: unknown; maximum?: unknown; inclusive?: boolean }, below: boolean): string {
  const limit = Number(below ? issue.minimum : issue.maximum);
  if (below) return issue.inclusive ? `≥ ${limit}` : `> ${limit}`;
  return issue.inclusive ? `≤ ${limit}` : `< ${limit}`;
}

function sizeText(origin: string, limit: number, below: boolean): string {
  const unit = origin === 'string' ? 'character' : 'item';
  const plural = limit === 1 ? unit : `${unit}s`;
  if (origin === 'string' && below && limit === 1) return 'a non-empty string';
  return `${below ? 'at least' : 'at most'} ${limit} ${plural}`;
}

/**
 * The per-parse error map: it words zod's built-in issues as "what was expected", so every issue message
 * in this module is the `expected` part. Schemas with their own `error` text take precedence over it.
 */
export function expectedText(issue: z.core.$ZodRawIssue): string | undefined {
  switch (issue.code) {
    case 'invalid_type':
      return typeNames[issue.expected] ?? `a ${issue.expected}`;
    case 'invalid_value':
      return `one of ${issue.values.map((value) => JSON.stringify(value)).join(', ')}`;
    case 'invalid_union': {
      const options = (issue as { options?: readonly unknown[] }).options;
      return options ? `one of ${options.map((value) => JSON.stringify(value)).join(', ')}` : undefined;
    }
    case 'too_small':
      return issue.origin === 'number' || issue.origin === 'int' || issue.origin === 'bigint'
        ? `a number ${bound(issue, true)}`
        : sizeText(issue.origin, Number(issue.minimum), true);
    case 'too_big':
      return issue.origin === 'number' || issue.origin === 'int' || issue.origin === 'bigint'
        ? `a number ${bound(issue, false)}`
        : sizeText(issue.origin, Number(issue.maximum), false);
    default:
      return undefined;
  }
}

/** Turns zod issues for a value found at `location` into Issues; `input` is that value, to quote what was there. */
export function issuesFromZod(error: Pick<z.ZodError, 'issues'>, input: unknown, location: IssueLocation): Issue[] {
  // Schemas shared with other modules word their messages as sentences ("expected an hour …"); the
  // `expected` part is what follows the word.
  return error.issues.map((issue) =>
    unexpectedValue(location, issue.path as PathSegment[], issue.message.replace(/^expected /, ''), valueAt(input, issue.path)),
  );
}

/** One line for people: `refId 3 at $.stages[2].waitTime: expected a number of seconds …, got "soon"`. */
export function formatIssue(issue: Issue): string {
  const stage = issue.refId === undefined ? '' : `refId ${issue.refId} `;
  return `${stage}at ${issue.path}: ${issue.message}`;
}

import type { z } from 'zod';
import { GennakerError, type ErrorDetail } from '../errors.js';

/** Where the value being parsed sits: a JSON path prefix and, for pipeline stages, the stage's refId. */
export interface ParseLocation {
  readonly path?: string;
  readonly refId?: string;
}

/** One bad field, relative to the parsed value, and what was expected there. */
export interface FieldProblem {
  readonly path: readonly PropertyKey[];
  readonly expected: string;
}

export function problemsOf(issues: readonly z.core.$ZodIssue[]): FieldProblem[] {
  return issues.map((issue) => ({
    path: issue.path,
    expected: issue.code === 'unrecognized_keys' ? `unknown key(s) ${issue.keys.join(', ')}` : issue.message,
  }));
}

function joinPath(base: string, segments: readonly PropertyKey[]): string {
  return segments.reduce<string>((path, segment) => {
    if (typeof segment === 'number') return `${path}[${segment}]`;
    return path === '' ? String(segment) : `${path}.${String(segment)}`;
  }, base);
}

/** One GNK_E_VALIDATION error naming every bad field (full JSON path, stage refId) and what it should be. */
export function validationError(what: string, problems: readonly FieldProblem[], at: ParseLocation): GennakerError {
  const details: ErrorDetail[] = problems.map((problem) => ({
    path: joinPath(at.path ?? '', problem.path) || '(root)',
    expected: problem.expected,
    ...(at.refId === undefined ? {} : { refId: at.refId }),
  }));
  const where = details.map((detail) => `${detail.path}: ${detail.expected}`).join('; ');
  const stage = at.refId === undefined ? '' : ` in stage ${at.refId}`;
  return new GennakerError('GNK_E_VALIDATION', `invalid ${what}${stage}: ${where}`, details);
}

import { z } from 'zod';
import { nonEmptyText, numberOrExpression } from '../value-or-expression.js';
import { defineStageType } from './stage-type.js';

/**
 * A command is either one string, run by the shell (`sh -c`), or a list — program then arguments — run
 * directly with no shell, so arguments need no quoting.
 */
const command = z.unknown().transform((input, context): string | string[] => {
  if (typeof input === 'string' && input.trim() !== '') return input;
  if (Array.isArray(input) && input.length > 0 && input.every((part) => typeof part === 'string') && input[0] !== '') {
    return input as string[];
  }
  context.addIssue({
    code: 'custom',
    message: 'a command: a non-empty string (run by the shell) or a list of program and arguments',
    input,
  });
  return z.NEVER;
});

/** YAML writes `PORT: 8080` as a number; environment variables are text either way. */
const environmentValue = z.union([z.string(), z.number(), z.boolean()], { error: 'text, a number or true/false' }).transform(String);

/**
 * `runJob`, Gennaker's form: a LOCAL command, not Spinnaker's Kubernetes job. `cloudProvider` may be
 * omitted or set to `local`; a Kubernetes-shaped runJob (cloudProvider kubernetes, manifest, account) is
 * refused rather than silently run somewhere else.
 */
export const runJobStageSchema = z.looseObject({
  cloudProvider: z
    .literal('local', {
      error: '"local" (Gennaker runs jobs as local commands; Kubernetes job manifests are not supported)',
    })
    .default('local'),
  command,
  env: z.record(z.string(), environmentValue).default({}),
  workingDirectory: nonEmptyText('a directory path').optional(),
  /** Spinnaker waits up to 120 minutes for a job; the same default keeps imported expectations. */
  timeoutSeconds: numberOrExpression({ min: 1 }, 'a number of seconds ≥ 1 or an expression').default(7200),
  /** How many of the last output lines are kept with the stage for people to read. */
  logTailLines: numberOrExpression({ integer: true, min: 0 }).default(100),
});

export type RunJobStageContext = z.output<typeof runJobStageSchema>;

export const runJobStageType = defineStageType(runJobStageSchema);

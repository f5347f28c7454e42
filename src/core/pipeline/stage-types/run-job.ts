import { z } from 'zod';
import { defaulted, flag, optional, wholeNumber } from '../stage-fields.js';
import { defineStageType } from './stage-type.js';

const commandExpected = 'expected a command: a shell command line (text) or a list [program, ...arguments]';

/**
 * A command is either one string, run by the shell (`sh -c`), or a list — program then arguments — run
 * directly with no shell, so arguments need no quoting.
 */
const command = z.union(
  [
    z.string().trim().min(1, { error: commandExpected }),
    z
      .array(z.string({ error: 'expected each argument as text' }), { error: 'expected a list of arguments' })
      .min(1, { error: 'expected at least the program to run' })
      .refine((argv) => argv[0] !== '', { error: 'expected the program to run first, not empty text' }),
  ],
  { error: commandExpected },
);

/** YAML writes `PORT: 8080` as a number; environment variables are text either way. */
const environmentValue = z
  .union([z.string(), z.number(), z.boolean()], { error: 'expected an environment value: text, a number or true/false' })
  .transform(String);

/** Jobs run on a POSIX machine; the check is spelled out so the schema stays free of node:path. */
const absolutePath = z
  .string({ error: 'expected an absolute directory path' })
  .refine((path) => path.startsWith('/'), { error: 'expected an absolute directory path' });

/**
 * `runJob`, Gennaker's form: a LOCAL command, not Spinnaker's Kubernetes job. `cloudProvider` may be
 * omitted or set to `local`; a Kubernetes-shaped runJob (cloudProvider kubernetes, manifest, account) is
 * refused rather than silently run somewhere else.
 */
export const runJobStageSchema = z.looseObject({
  cloudProvider: defaulted(
    z.literal('local', { error: 'expected "local" (Gennaker runs jobs as local commands; Kubernetes job manifests are not supported)' }),
    'local',
  ),
  command,
  env: defaulted(z.record(z.string(), environmentValue, { error: 'expected a map of variable names to values' }), {}),
  workingDirectory: optional(absolutePath),
  /** Spinnaker waits up to 120 minutes for a job; the same default keeps imported expectations. */
  timeoutSeconds: defaulted(wholeNumber(1, 'expected a whole number of seconds, 1 or more'), 7200),
  /** How many of the last output lines are kept with the stage for people to read. */
  logTailLines: defaulted(wholeNumber(0, 'expected a whole number of lines, 0 or more'), 50),
  waitForCompletion: defaulted(flag, true),
});

export type RunJobInput = z.output<typeof runJobStageSchema>;

/** The program and arguments to run: a command line goes through `/bin/sh -c`, a list runs as it is. */
export function argvOf(input: Pick<RunJobInput, 'command'>): string[] {
  return typeof input.command === 'string' ? ['/bin/sh', '-c', input.command] : [...input.command];
}

export const runJobStageType = defineStageType(runJobStageSchema);

import { isAbsolute } from 'node:path';
import { z } from 'zod';
import { defaulted, flag, optional, wholeNumber } from '../shared/fields.js';

const command = z.union(
  [
    z.string().trim().min(1),
    z.array(z.string({ error: 'expected each argument as text' }), { error: 'expected a list of arguments' }).min(1, { error: 'expected at least the program to run' }),
  ],
  { error: 'expected a command: a shell command line (text) or a list [program, ...arguments]' },
);

const envValue = z.union([z.string(), z.number(), z.boolean()], { error: 'expected an environment value: text, a number or true/false' }).transform(String);

export const runJobInput = z.looseObject({
  command,
  env: defaulted(z.record(z.string(), envValue, { error: 'expected a map of variable names to values' }), {}),
  workingDirectory: optional(z.string({ error: 'expected an absolute directory path' }).refine(isAbsolute, { error: 'expected an absolute directory path' })),
  timeoutSeconds: defaulted(wholeNumber(1, 'expected timeoutSeconds: a whole number of seconds, 1 or more'), 7200),
  logTailLines: defaulted(wholeNumber(0, 'expected logTailLines: a whole number, 0 or more'), 50),
  waitForCompletion: defaulted(flag, true),
});

export type RunJobInput = z.output<typeof runJobInput>;

/** The program and arguments to run: a command line goes through `/bin/sh -c`, a list runs as it is. */
export function argvOf(input: RunJobInput): string[] {
  return typeof input.command === 'string' ? ['/bin/sh', '-c', input.command] : [...input.command];
}

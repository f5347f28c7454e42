import { z } from 'zod';
import { booleanLike, numberLike } from './value-or-expression.js';

const hour = numberLike({ integer: true, min: 0, max: 23 }, 'an hour from 0 to 23');
const minute = numberLike({ integer: true, min: 0, max: 59 }, 'a minute from 0 to 59');
const seconds = numberLike({ min: 0 }, 'a number of seconds ≥ 0');

/**
 * Spinnaker's `restrictedExecutionWindow`, in its own shape: `whitelist` ranges of allowed times, `days`
 * as java.util.Calendar numbers (1 = Sunday … 7 = Saturday; empty = every day) and an optional random
 * `jitter` in seconds. A range may wrap midnight (22:00–06:00). Extra keys are kept.
 */
export const executionWindowSchema = z.looseObject({
  whitelist: z
    .array(z.looseObject({ startHour: hour, startMin: minute, endHour: hour, endMin: minute }))
    .default([]),
  days: z
    .array(numberLike({ integer: true, min: 1, max: 7 }, 'a day number from 1 (Sunday) to 7 (Saturday)'))
    .default([]),
  jitter: z
    .looseObject({
      enabled: booleanLike().default(false),
      minDelay: seconds.default(0),
      maxDelay: seconds.default(0),
      skipManual: booleanLike().default(false),
    })
    .superRefine((jitter, context) => {
      if (jitter.maxDelay < jitter.minDelay) {
        context.addIssue({ code: 'custom', path: ['maxDelay'], message: `a number of seconds ≥ minDelay (${jitter.minDelay})` });
      }
    })
    .optional(),
});

export type ExecutionWindow = z.output<typeof executionWindowSchema>;

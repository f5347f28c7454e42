import { z } from 'zod';
import type { StageDefinition } from '../engine/stage-contract.js';
import { optional, seconds } from './shared/fields.js';
import { running } from './shared/results.js';

const waitInput = z.looseObject({
  waitTime: seconds('expected waitTime: a number of seconds, 0 or more'),
  skipWaitText: optional(z.string({ error: 'expected text' })),
});

export type WaitInput = z.output<typeof waitInput>;

/**
 * Waits `waitTime` seconds of stage time (paused time does not count). The task sleeps for exactly the
 * remaining time instead of polling; an operator's `skipRemainingWait` wakes it and ends the wait.
 */
export function waitStage(): StageDefinition<WaitInput> {
  return {
    type: 'wait',
    input: waitInput,
    plan: () => ({ tasks: [{ name: 'wait', implementation: 'wait' }], beforeStages: [], afterStages: [] }),
    tasks: {
      wait: {
        run: async ({ input, stage, elapsedMs }) => {
          if (stage.context['skipRemainingWait'] === true) return { kind: 'succeeded' };
          const remainingMs = Math.ceil(input.waitTime * 1000) - elapsedMs;
          return remainingMs <= 0 ? { kind: 'succeeded' } : running(remainingMs);
        },
      },
    },
  };
}

import { waitStageSchema, type WaitInput } from '../core/pipeline/stage-types/wait.js';
import type { StageDefinition } from '../engine/stage-contract.js';
import { running } from './shared/results.js';
import { tasksInOrder } from './shared/task-plan.js';

/**
 * Waits `waitTime` seconds of stage time (paused time does not count). The task sleeps for exactly the
 * remaining time instead of polling; an operator's `skipRemainingWait` wakes it and ends the wait.
 */
export function waitStage(): StageDefinition<WaitInput> {
  return {
    type: 'wait',
    input: waitStageSchema,
    plan: () => tasksInOrder('wait'),
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

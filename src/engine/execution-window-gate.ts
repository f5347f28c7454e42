import { z } from 'zod';
import { isGennakerError } from '../core/errors.js';
import { executionWindowStageType, nextWindowStart, parseExecutionWindow, windowJitterMs } from '../core/time-rules/index.js';
import type { StageDefinition } from './stage-contract.js';

const windowInput = z.looseObject({
  restrictedExecutionWindow: z.unknown(),
  skipWindowText: z.string().optional(),
});

export type ExecutionWindowInput = z.output<typeof windowInput>;

const dayMs = 24 * 3_600_000;
/** Re-check at least hourly: a window that opens days away is still re-read after a server clock change. */
const maxSleepMs = 3_600_000;

/**
 * Spinnaker's synthetic before-stage for `restrictExecutionDuringTimeWindow`: holds its parent until the
 * window is open, then waits the jitter. It sleeps exactly until the window opens instead of polling
 * every 30 s; `skipRemainingWait` (the operator's "skip window") wakes and ends it.
 */
export function executionWindowGate(options: { readonly defaultTimezone: string; readonly random?: () => number }): StageDefinition<ExecutionWindowInput> {
  const random = options.random ?? Math.random;
  return {
    type: executionWindowStageType,
    input: windowInput,
    plan: () => ({ tasks: [{ name: 'suspendExecutionDuringTimeWindow', implementation: 'suspend' }], beforeStages: [], afterStages: [] }),
    tasks: {
      suspend: {
        timeoutMs: 7 * dayMs,
        run: async ({ input, stage, execution, now }) => {
          if (stage.context['skipRemainingWait'] === true) return { kind: 'succeeded', context: { windowSkipped: true } };
          let window;
          try {
            window = parseExecutionWindow(input.restrictedExecutionWindow, { path: 'restrictedExecutionWindow', refId: stage.refId });
          } catch (error) {
            if (isGennakerError(error)) return { kind: 'terminal', failure: { code: 'GNK_E_TASK_FAILED', message: error.message } };
            throw error;
          }
          const jitterUntil = stage.context['jitterUntil'];
          if (typeof jitterUntil === 'number') return now >= jitterUntil ? { kind: 'succeeded' } : { kind: 'running', backoffMs: jitterUntil - now };
          const check = nextWindowStart(window, now, options.defaultTimezone);
          if (check.kind === 'wait') return { kind: 'running', backoffMs: Math.min(check.untilMs - now, maxSleepMs), context: { waitingUntil: check.untilMs } };
          const jitterMs = windowJitterMs(window, random(), execution.trigger.type === 'manual');
          return jitterMs > 0 ? { kind: 'running', backoffMs: jitterMs, context: { jitterUntil: now + jitterMs } } : { kind: 'succeeded' };
        },
      },
    },
  };
}

import { manualJudgmentStageSchema, type ManualJudgmentInput } from '../core/pipeline/stage-types/manual-judgment.js';
import type { StageDefinition } from '../engine/stage-contract.js';
import { running, taskFailed } from './shared/results.js';
import { tasksInOrder } from './shared/task-plan.js';

/** Spinnaker's WaitForManualJudgmentTask polls every 15 s; here the engine also wakes it on an answer. */
const judgmentBackoffMs = 15_000;
const judgmentTimeoutMs = 3 * 24 * 60 * 60 * 1000;

function judgedBy(context: Readonly<Record<string, unknown>>): string | null {
  const user = context['lastModifiedBy'];
  return typeof user === 'string' && user !== '' ? user : null;
}

/**
 * Waits for a person's answer. The API merges it into the stage context (`judgmentStatus`
 * `continue` or `stop`, the chosen `judgmentInput`, `lastModifiedBy`) and wakes the task; the API
 * also checks the answer against the options and the user's roles, so the task takes what it finds.
 */
export function manualJudgmentStage(): StageDefinition<ManualJudgmentInput> {
  return {
    type: 'manualJudgment',
    input: manualJudgmentStageSchema,
    plan: () => tasksInOrder('waitForJudgment'),
    tasks: {
      waitForJudgment: {
        backoffMs: judgmentBackoffMs,
        timeoutMs: judgmentTimeoutMs,
        run: async ({ stage }) => {
          const status = stage.context['judgmentStatus'];
          const answer = typeof status === 'string' ? status.toLowerCase() : undefined;
          const user = judgedBy(stage.context);
          const input = stage.context['judgmentInput'];
          if (answer === 'continue') {
            return { kind: 'succeeded', outputs: { judgmentInput: input ?? null, judgedBy: user } };
          }
          if (answer === 'stop') {
            const who = user === null ? 'an unknown user' : user;
            const choice = typeof input === 'string' && input !== '' ? ` (chose "${input}")` : '';
            return taskFailed(`manual judgment "${stage.name}" was stopped by ${who}${choice}`);
          }
          return running(judgmentBackoffMs);
        },
      },
    },
  };
}

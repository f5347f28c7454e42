import type { Draft } from './draft.js';
import type { ExecutionState, StageFailure } from './model.js';
import { startTasksOrAfterStages } from './start.js';
import { unreachable } from './status.js';

/** What running a task once produced. */
export type TaskResult =
  /** Not finished: run again after the backoff (how every "wait for X" works). */
  | { readonly kind: 'running'; readonly backoffMs: number; readonly context?: Record<string, unknown>; readonly outputs?: Record<string, unknown> }
  | { readonly kind: 'succeeded'; readonly context?: Record<string, unknown>; readonly outputs?: Record<string, unknown> }
  /** Failed, but the stage goes on with its next task (Spinnaker's FAILED_CONTINUE task status). */
  | { readonly kind: 'failedContinue'; readonly failure: StageFailure; readonly context?: Record<string, unknown> }
  | { readonly kind: 'terminal'; readonly failure: StageFailure; readonly context?: Record<string, unknown> }
  | { readonly kind: 'canceled' }
  | { readonly kind: 'skipped' }
  /** A retryable error: try again after the backoff; the retry is counted. */
  | { readonly kind: 'retry'; readonly backoffMs: number; readonly failure: StageFailure };

export type TaskRunCheck =
  | { readonly kind: 'run'; readonly elapsedMs: number }
  | { readonly kind: 'ignore'; readonly reason: string }
  | { readonly kind: 'result'; readonly result: TaskResult };

/**
 * Time the stage has been running, excluding paused time and time spent in children that hold it
 * without being its work (an execution window, a freeze) — Spinnaker subtracts both before timeouts.
 */
export function stageElapsedMs(state: ExecutionState, stageId: string, now: number): number {
  const stage = state.stages.find((candidate) => candidate.id === stageId)!;
  const execution = state.execution;
  const pausedNow = execution.pausedAt === undefined ? 0 : now - execution.pausedAt;
  const pausedSinceStart = execution.pausedMs + pausedNow - (stage.pausedMsAtStart ?? 0);
  const heldMs = state.stages
    .filter((child) => child.parentStageId === stageId && child.excludedFromParentTimeout && child.startTime !== undefined)
    // A finished hold's own paused time is not known here, so it may be subtracted twice: lenient, never strict.
    .reduce((sum, child) => sum + (child.endTime === undefined ? stageElapsedMs(state, child.id, now) : child.endTime - child.startTime!), 0);
  return now - (stage.startTime ?? now) - pausedSinceStart - heldMs;
}

/**
 * What a runTask message should do before the task itself runs (Spinnaker's RunTaskHandler checks,
 * in order): stale → ignore; execution canceled → canceled; paused → ignore (resume re-drives it);
 * manually skipped → skipped; over the stage timeout → terminal, naming the timeout that fired.
 */
export function taskRunCheck(state: ExecutionState, stageId: string, taskId: string, now: number): TaskRunCheck {
  const stage = state.stages.find((candidate) => candidate.id === stageId);
  const task = stage?.tasks.find((candidate) => candidate.id === taskId);
  if (!stage || !task) return { kind: 'ignore', reason: 'no such task (restarted meanwhile)' };
  if (task.status !== 'RUNNING' || stage.status !== 'RUNNING') return { kind: 'ignore', reason: `task is ${task.status}` };
  if (state.execution.canceled) return { kind: 'result', result: { kind: 'canceled' } };
  if (state.execution.status === 'PAUSED') return { kind: 'ignore', reason: 'execution is paused' };
  if (stage.context['manualSkip'] === true) return { kind: 'result', result: { kind: 'skipped' } };
  const elapsedMs = stageElapsedMs(state, stageId, now);
  if (stage.stageTimeoutMs !== undefined && elapsedMs > stage.stageTimeoutMs) {
    return {
      kind: 'result',
      result: {
        kind: 'terminal',
        failure: {
          code: 'GNK_E_STAGE_TIMEOUT',
          message: `stage ${stage.refId} (${stage.name}) exceeded its stageTimeoutMs of ${stage.stageTimeoutMs} ms (paused time excluded)`,
        },
      },
    };
  }
  return { kind: 'run', elapsedMs };
}

export function applyTaskResult(draft: Draft, stageId: string, taskId: string, result: TaskResult): void {
  const stage = draft.stage(stageId);
  const task = stage.tasks.find((candidate) => candidate.id === taskId);
  if (!task || task.status !== 'RUNNING') return;
  const merge = (context?: Record<string, unknown>, outputs?: Record<string, unknown>): void => {
    if (!context && !outputs) return;
    const current = draft.stage(stageId);
    draft.updateStage(stageId, {
      context: context ? { ...current.context, ...context } : current.context,
      outputs: outputs ? { ...current.outputs, ...outputs } : current.outputs,
    });
  };
  const finish = (status: 'SUCCEEDED' | 'FAILED_CONTINUE' | 'TERMINAL' | 'CANCELED' | 'SKIPPED'): void => {
    draft.updateTask(stageId, taskId, { status, endTime: draft.now });
  };
  switch (result.kind) {
    case 'running':
      merge(result.context, result.outputs);
      draft.send({ kind: 'runTask', stageId, taskId }, result.backoffMs);
      return;
    case 'succeeded':
      merge(result.context, result.outputs);
      finish('SUCCEEDED');
      startTasksOrAfterStages(draft, draft.stage(stageId));
      return;
    case 'failedContinue':
      merge(result.context);
      finish('FAILED_CONTINUE');
      startTasksOrAfterStages(draft, draft.stage(stageId));
      return;
    case 'terminal':
      merge(result.context);
      finish('TERMINAL');
      draft.updateStage(stageId, { failure: result.failure });
      draft.send({ kind: 'completeStage', stageId });
      return;
    case 'canceled':
      finish('CANCELED');
      draft.send({ kind: 'completeStage', stageId });
      return;
    case 'skipped':
      finish('SKIPPED');
      draft.send({ kind: 'completeStage', stageId });
      return;
    case 'retry':
      draft.updateTask(stageId, taskId, { retries: task.retries + 1 });
      merge({ lastRetryableFailure: result.failure });
      draft.send({ kind: 'runTask', stageId, taskId }, result.backoffMs);
      return;
    default:
      unreachable(result);
  }
}

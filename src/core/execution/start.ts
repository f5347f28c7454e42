import { afterStageCompleted } from './complete.js';
import type { Draft } from './draft.js';
import { childrenOf, groupOf, initialStages, topLevelStages, upstreamOf } from './graph.js';
import type { ExecutionState, Stage, StageFailure } from './model.js';
import { addSyntheticStages, type StagePlan } from './plan.js';
import { isHalt, letsDownstreamRun } from './status.js';

export function startExecution(draft: Draft): void {
  const execution = draft.execution;
  if (execution.status !== 'NOT_STARTED') return;
  if (execution.canceled) {
    draft.updateExecution({ status: 'CANCELED', endTime: draft.now });
    return;
  }
  const initial = initialStages(topLevelStages(draft.stages));
  draft.updateExecution({ status: 'RUNNING', startTime: draft.now });
  if (initial.length === 0) {
    // Spinnaker's rule: an execution with nothing to start is TERMINAL, not vacuously successful.
    draft.updateExecution({ status: 'TERMINAL', endTime: draft.now });
    return;
  }
  for (const stage of initial) draft.send({ kind: 'startStage', stageId: stage.id });
}

export type StageStartCheck =
  | { readonly kind: 'start' }
  | { readonly kind: 'ignore'; readonly reason: string }
  | { readonly kind: 'completeExecution' };

/**
 * Whether a startStage message should start its stage. Checked before the shell evaluates expressions
 * and plans, so stale and duplicate messages cost nothing.
 */
export function stageStartCheck(state: ExecutionState, stageId: string): StageStartCheck {
  const stage = state.stages.find((candidate) => candidate.id === stageId);
  if (!stage) return { kind: 'ignore', reason: 'no such stage (restarted meanwhile)' };
  if (stage.status !== 'NOT_STARTED') return { kind: 'ignore', reason: `stage is already ${stage.status}` };
  if (state.execution.status !== 'RUNNING') return { kind: 'ignore', reason: `execution is ${state.execution.status}` };
  if (state.execution.canceled) return { kind: 'completeExecution' };
  const upstream = upstreamOf(groupOf(state.stages, stage), stage);
  if (upstream.some((other) => isHalt(other.status))) return { kind: 'completeExecution' };
  if (!upstream.every((other) => letsDownstreamRun(other.status))) {
    return { kind: 'ignore', reason: 'waiting for upstream stages' };
  }
  return { kind: 'start' };
}

/** What the shell learned while preparing a stage: its stageEnabled verdict, evaluated context and plan. */
export type StagePreparation =
  | { readonly kind: 'skip' }
  | { readonly kind: 'fail'; readonly failure: StageFailure }
  | { readonly kind: 'run'; readonly context: Readonly<Record<string, unknown>>; readonly plan: StagePlan };

export function startStage(draft: Draft, stageId: string, preparation: StagePreparation): void {
  const stage = draft.stage(stageId);
  const preserved = stage.context['restartDetails'] === undefined ? {} : { restartDetails: stage.context['restartDetails'] };
  const started = { startTime: draft.now, pausedMsAtStart: draft.execution.pausedMs };
  switch (preparation.kind) {
    case 'skip':
      draft.updateStage(stageId, { ...started, status: 'RUNNING', context: { ...preserved, stageEnabledResult: false } });
      draft.updateStage(stageId, { status: 'SKIPPED', endTime: draft.now });
      afterStageCompleted(draft, draft.stage(stageId));
      return;
    case 'fail':
      draft.updateStage(stageId, { ...started, status: 'RUNNING', context: preserved, failure: preparation.failure });
      draft.send({ kind: 'completeStage', stageId });
      return;
    case 'run': {
      const tasks = preparation.plan.tasks.map((task, index) => ({
        id: String(index + 1),
        name: task.name,
        implementation: task.implementation,
        status: 'NOT_STARTED' as const,
        retries: 0,
      }));
      const onFailureStages = preparation.plan.onFailureStages ?? [];
      const running = draft.updateStage(stageId, {
        ...started,
        status: 'RUNNING',
        context: { ...preparation.context, ...preserved },
        tasks,
        ...(onFailureStages.length > 0 ? { onFailureStages } : {}),
      });
      addSyntheticStages(draft, running, 'STAGE_BEFORE', preparation.plan.beforeStages);
      addSyntheticStages(draft, running, 'STAGE_AFTER', preparation.plan.afterStages);
      beginStageWork(draft, running);
      return;
    }
  }
}

/** Starts the first thing a running stage has to do: before-stages, then tasks, then after-stages. */
export function beginStageWork(draft: Draft, stage: Stage): void {
  const before = childrenOf(draft.stages, stage.id, 'STAGE_BEFORE');
  if (before.length > 0 && before.some((child) => child.status === 'NOT_STARTED') && before.every((child) => !isHalt(child.status))) {
    const pending = initialStages(before).filter((child) => child.status === 'NOT_STARTED');
    for (const child of pending) draft.send({ kind: 'startStage', stageId: child.id });
    if (pending.length > 0) return;
  }
  startTasksOrAfterStages(draft, stage);
}

export function startTasksOrAfterStages(draft: Draft, stage: Stage): void {
  const next = stage.tasks.find((task) => task.status === 'NOT_STARTED');
  if (next) {
    draft.updateTask(stage.id, next.id, { status: 'RUNNING', startTime: draft.now });
    draft.send({ kind: 'runTask', stageId: stage.id, taskId: next.id });
    return;
  }
  const after = initialStages(childrenOf(draft.stages, stage.id, 'STAGE_AFTER')).filter((child) => child.status === 'NOT_STARTED');
  if (after.length > 0) {
    for (const child of after) draft.send({ kind: 'startStage', stageId: child.id });
    return;
  }
  draft.send({ kind: 'completeStage', stageId: stage.id });
}

import type { Draft } from './draft.js';
import { childrenOf, groupOf, syntheticDescendants, topLevelStages, upstreamOf, withAllDownstream } from './graph.js';
import type { Stage } from './model.js';
import { isActive, isComplete, letsDownstreamRun } from './status.js';

/** Why an operator action was refused; the shell turns it into a coded error. */
export type OperatorRefusal = { readonly refused: string } | undefined;

export function cancelExecution(draft: Draft, user: string, reason?: string): OperatorRefusal {
  if (isComplete(draft.execution.status)) return { refused: `execution is already ${draft.execution.status}` };
  draft.updateExecution({ canceled: true, canceledBy: user, cancellationReason: reason });
  if (draft.execution.status === 'NOT_STARTED') {
    draft.updateExecution({ status: 'CANCELED', endTime: draft.now });
    return undefined;
  }
  draft.send({ kind: 'completeExecution' });
  return undefined;
}

export function pauseExecution(draft: Draft): OperatorRefusal {
  if (draft.execution.status !== 'RUNNING') return { refused: `only a RUNNING execution can be paused; it is ${draft.execution.status}` };
  draft.updateExecution({ status: 'PAUSED', pausedAt: draft.now });
  for (const stage of draft.stages) {
    if (stage.status !== 'RUNNING') continue;
    draft.updateStage(stage.id, { status: 'PAUSED' });
    for (const task of stage.tasks) if (task.status === 'RUNNING') draft.updateTask(stage.id, task.id, { status: 'PAUSED' });
  }
  return undefined;
}

export function resumeExecution(draft: Draft): OperatorRefusal {
  const { status, pausedAt, pausedMs } = draft.execution;
  if (status !== 'PAUSED') return { refused: `only a PAUSED execution can be resumed; it is ${status}` };
  draft.updateExecution({ status: 'RUNNING', pausedAt: undefined, pausedMs: pausedMs + (draft.now - (pausedAt ?? draft.now)) });
  for (const stage of draft.stages) {
    if (stage.status !== 'PAUSED') continue;
    draft.updateStage(stage.id, { status: 'RUNNING' });
    for (const task of stage.tasks) if (task.status === 'PAUSED') draft.updateTask(stage.id, task.id, { status: 'RUNNING' });
  }
  redrive(draft);
  return undefined;
}

/**
 * Sends the messages that move a RUNNING execution forward from its stored state alone: wake every
 * running task, start every stage whose turn has come, complete what has nothing left to do. Used on
 * resume and to repair an execution found RUNNING with no queued work; duplicates are harmless.
 */
export function redrive(draft: Draft): void {
  if (draft.execution.status !== 'RUNNING') return;
  const stages = draft.stages;
  for (const stage of stages) {
    if (stage.status === 'RUNNING') {
      const running = stage.tasks.find((task) => task.status === 'RUNNING');
      const activeChildren = stages.some((child) => child.parentStageId === stage.id && isActive(child.status));
      if (running) draft.send({ kind: 'wakeStage', stageId: stage.id });
      else if (!activeChildren && !hasStartableChild(stages, stage)) draft.send({ kind: 'completeStage', stageId: stage.id });
    }
    if (stage.status === 'NOT_STARTED' && isStartable(stages, stage)) draft.send({ kind: 'startStage', stageId: stage.id });
  }
  draft.send({ kind: 'completeExecution' });
}

function upstreamDone(stages: readonly Stage[], stage: Stage): boolean {
  return upstreamOf(groupOf(stages, stage), stage).every((upstream) => letsDownstreamRun(upstream.status));
}

function isStartable(stages: readonly Stage[], stage: Stage): boolean {
  if (!upstreamDone(stages, stage)) return false;
  if (stage.parentStageId === undefined) return true;
  const parent = stages.find((candidate) => candidate.id === stage.parentStageId);
  if (!parent || parent.status !== 'RUNNING') return false;
  if (stage.syntheticStageOwner !== 'STAGE_AFTER') return true;
  const before = childrenOf(stages, parent.id, 'STAGE_BEFORE');
  return before.every((child) => letsDownstreamRun(child.status)) && parent.tasks.every((task) => isComplete(task.status));
}

function hasStartableChild(stages: readonly Stage[], stage: Stage): boolean {
  return stages.some((child) => child.parentStageId === stage.id && child.status === 'NOT_STARTED' && isStartable(stages, child));
}

/**
 * Restarts a top-level stage and everything downstream of it (Spinnaker's RestartStageHandler): they
 * return to NOT_STARTED with their synthetic children removed and a new run number, so every side
 * effect they perform again gets new idempotency keys.
 */
export function restartStage(draft: Draft, stageId: string, user: string): OperatorRefusal {
  const stage = draft.findStage(stageId);
  if (!stage) return { refused: `no stage ${stageId}` };
  if (stage.parentStageId !== undefined) return { refused: `stage ${stage.refId} is synthetic; restart its parent stage instead` };
  if (!isComplete(stage.status) && stage.status !== 'NOT_STARTED') {
    return { refused: `stage ${stage.refId} is ${stage.status}; only a finished or not-started stage can be restarted` };
  }
  const reset = withAllDownstream(topLevelStages(draft.stages), stage);
  for (const target of reset) {
    for (const descendant of syntheticDescendants(draft.stages, target.id)) draft.deleteStage(descendant.id);
    const restartDetails =
      target.id === stage.id
        ? { restartedBy: user, restartTime: draft.now, previousFailure: stage.failure ?? null }
        : target.context['restartDetails'];
    draft.updateStage(target.id, {
      status: 'NOT_STARTED',
      startTime: undefined,
      endTime: undefined,
      pausedMsAtStart: undefined,
      tasks: [],
      onFailureStages: undefined,
      context: restartDetails === undefined ? {} : { restartDetails },
      outputs: {},
      failure: undefined,
      runNumber: target.runNumber + 1,
    });
  }
  if (isComplete(draft.execution.status)) {
    draft.updateExecution({ status: 'RUNNING', endTime: undefined, canceled: false, canceledBy: undefined, cancellationReason: undefined });
  }
  if (draft.execution.status === 'RUNNING') draft.send({ kind: 'startStage', stageId });
  return undefined;
}

/** Merges operator input (a judgment, skipRemainingWait, manualSkip) into a running stage and wakes it. */
export function patchStageContext(draft: Draft, stageId: string, patch: Readonly<Record<string, unknown>>): OperatorRefusal {
  const stage = draft.findStage(stageId);
  if (!stage) return { refused: `no stage ${stageId}` };
  if (stage.status !== 'RUNNING' && stage.status !== 'PAUSED') return { refused: `stage ${stage.refId} is ${stage.status}, not running` };
  draft.updateStage(stageId, { context: { ...stage.context, ...patch } });
  draft.send({ kind: 'wakeStage', stageId });
  return undefined;
}

export function skipStage(draft: Draft, stageId: string, user: string): OperatorRefusal {
  return patchStageContext(draft, stageId, { manualSkip: true, manualSkipBy: user });
}

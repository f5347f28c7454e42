import type { Draft } from './draft.js';
import { failureStatus } from './failure.js';
import { childrenOf, downstreamOf, groupOf, initialStages, topLevelStages, upstreamOf } from './graph.js';
import { addSyntheticStages } from './plan.js';
import type { Stage } from './model.js';
import { startTasksOrAfterStages } from './start.js';
import { isActive, isComplete, isHalt, letsDownstreamRun, type ExecutionStatus } from './status.js';

/**
 * The status a stage ends with, from its tasks and synthetic children (Spinnaker's determineStatus):
 * a manual skip wins; cancellation next; then any halting part (or a recorded failure) fails the stage
 * as its onFailure says; an ignored failure below makes it FAILED_CONTINUE; otherwise SUCCEEDED.
 */
export function stageOutcome(stage: Stage, children: readonly Stage[], executionCanceled: boolean): ExecutionStatus {
  if (stage.context['manualSkip'] === true) return 'SKIPPED';
  const parts = [...stage.tasks.map((task) => task.status), ...children.map((child) => child.status)];
  if (executionCanceled || parts.includes('CANCELED')) return 'CANCELED';
  if (stage.failure || parts.some((status) => status === 'TERMINAL' || status === 'STOPPED')) return failureStatus(stage.onFailure);
  if (parts.includes('FAILED_CONTINUE')) return 'FAILED_CONTINUE';
  return 'SUCCEEDED';
}

export function completeStage(draft: Draft, stageId: string): void {
  const stage = draft.findStage(stageId);
  if (!stage || stage.status !== 'RUNNING') return;
  const children = draft.stages.filter((other) => other.parentStageId === stage.id);
  // A child still running keeps the stage open; that child's completion brings us back here.
  if (children.some((child) => isActive(child.status))) return;
  const failedChild = children.find((child) => isHalt(child.status) && child.failure);
  const status = stageOutcome(stage, children, draft.execution.canceled);
  if (startOnFailureStages(draft, stage, status, children)) return;
  draft.updateStage(stageId, {
    status,
    endTime: draft.now,
    ...(stage.failure === undefined && failedChild?.failure ? { failure: failedChild.failure } : {}),
  });
  afterStageCompleted(draft, draft.stage(stageId));
}

/**
 * A failing stage with planned on-failure stages stays RUNNING while they run; their completion brings
 * it back to completeStage, which then finds them present and ends the stage with its failure.
 */
function startOnFailureStages(draft: Draft, stage: Stage, status: ExecutionStatus, children: readonly Stage[]): boolean {
  const specs = stage.onFailureStages ?? [];
  if (specs.length === 0 || (status !== 'TERMINAL' && status !== 'STOPPED')) return false;
  const planned = children.filter((child) => child.syntheticStageOwner === 'STAGE_ON_FAILURE');
  // Already added: a duplicate completeStage must not end the stage while some have yet to start.
  if (planned.length > 0) return !planned.some((child) => isHalt(child.status)) && planned.some((child) => child.status === 'NOT_STARTED');
  const added = addSyntheticStages(draft, stage, 'STAGE_ON_FAILURE', specs);
  for (const child of initialStages(added)) draft.send({ kind: 'startStage', stageId: child.id });
  return true;
}

/** What follows a finished stage: its parent continues, or its downstream stages start, or the execution ends. */
export function afterStageCompleted(draft: Draft, stage: Stage): void {
  if (stage.parentStageId !== undefined) {
    continueParent(draft, stage);
    return;
  }
  if (letsDownstreamRun(stage.status)) startReadyDownstream(draft, stage);
  const top = topLevelStages(draft.stages);
  const nothingActive = !top.some((other) => isActive(other.status));
  if (stage.status === 'TERMINAL' || stage.status === 'CANCELED' || (nothingActive && !draft.sentStartStage())) {
    draft.send({ kind: 'completeExecution' });
  }
}

function startReadyDownstream(draft: Draft, stage: Stage): void {
  const group = groupOf(draft.stages, stage);
  for (const next of downstreamOf(group, stage)) {
    if (next.status !== 'NOT_STARTED') continue;
    if (upstreamOf(group, next).every((upstream) => letsDownstreamRun(upstream.status))) {
      draft.send({ kind: 'startStage', stageId: next.id });
    }
  }
}

function continueParent(draft: Draft, child: Stage): void {
  const parent = draft.findStage(child.parentStageId!);
  if (!parent || parent.status !== 'RUNNING') return;
  const group = childrenOf(draft.stages, parent.id, child.syntheticStageOwner);
  const halted = group.some((sibling) => isHalt(sibling.status));
  if (!halted && letsDownstreamRun(child.status)) startReadyDownstream(draft, child);
  if (group.some((sibling) => isActive(sibling.status)) || draft.sentStartStage()) return;
  if (halted || child.syntheticStageOwner !== 'STAGE_BEFORE') {
    draft.send({ kind: 'completeStage', stageId: parent.id });
    return;
  }
  // Every before-stage finished well: the parent's own tasks (or after-stages) come next.
  startTasksOrAfterStages(draft, parent);
}

export type FinalStatus = { readonly kind: 'complete'; readonly status: ExecutionStatus } | { readonly kind: 'notYet' };

/**
 * The execution's final status from its top-level stages (Spinnaker's CompleteExecutionHandler):
 * canceled → CANCELED; any TERMINAL → TERMINAL; any CANCELED → CANCELED; anything still active → not
 * yet; any branch halted with haltBranchThenFail → TERMINAL; otherwise SUCCEEDED (halted branches
 * and ignored failures included, stages below a halted branch never having run).
 */
export function finalExecutionStatus(topLevel: readonly Stage[], canceled: boolean): FinalStatus {
  if (canceled) return { kind: 'complete', status: 'CANCELED' };
  if (topLevel.some((stage) => stage.status === 'TERMINAL')) return { kind: 'complete', status: 'TERMINAL' };
  if (topLevel.some((stage) => stage.status === 'CANCELED')) return { kind: 'complete', status: 'CANCELED' };
  if (topLevel.some((stage) => isActive(stage.status))) return { kind: 'notYet' };
  const failAfterBranches = topLevel.some((stage) => stage.status === 'STOPPED' && stage.onFailure === 'haltBranchThenFail');
  return { kind: 'complete', status: failAfterBranches ? 'TERMINAL' : 'SUCCEEDED' };
}

export function completeExecution(draft: Draft): void {
  const execution = draft.execution;
  if (isComplete(execution.status)) return;
  const final = finalExecutionStatus(topLevelStages(draft.stages), execution.canceled);
  if (final.kind === 'notYet') return;
  // Whatever still runs is canceled; cancelStage messages let each stage clean up (child pipelines, jobs).
  for (const stage of draft.stages) {
    if (!isActive(stage.status)) continue;
    for (const task of stage.tasks) {
      if (isActive(task.status)) draft.updateTask(stage.id, task.id, { status: 'CANCELED', endTime: draft.now });
    }
    draft.updateStage(stage.id, { status: 'CANCELED', endTime: draft.now });
    draft.send({ kind: 'cancelStage', stageId: stage.id });
  }
  draft.updateExecution({ status: final.status, endTime: draft.now, pausedAt: undefined });
  if (execution.pipelineConfigId !== undefined) {
    draft.send({ kind: 'startWaitingExecutions', pipelineConfigId: execution.pipelineConfigId });
  }
  const { parentExecutionId, parentStageId } = execution.trigger;
  if (parentExecutionId !== undefined && parentStageId !== undefined) {
    draft.send({ kind: 'wakeStage', stageId: parentStageId }, 0, parentExecutionId);
  }
}

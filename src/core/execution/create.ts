import type { ConcurrencyPolicy } from './concurrency.js';
import type { ExecutionState, ExecutionType, OnFailure, Stage, Trigger } from './model.js';

/** A top-level stage as the validated pipeline describes it. */
export interface StageBlueprint {
  readonly refId: string;
  readonly type: string;
  readonly name: string;
  readonly requisiteStageRefIds: readonly string[];
  readonly onFailure: OnFailure;
  readonly stageEnabled?: string;
  readonly stageTimeoutMs?: number;
  /** The stage's own fields, expressions unevaluated. */
  readonly context: Readonly<Record<string, unknown>>;
}

export interface ExecutionBlueprint extends Partial<ConcurrencyPolicy> {
  readonly id: string;
  readonly type: ExecutionType;
  readonly application: string;
  readonly name: string;
  readonly pipelineConfigId?: string;
  readonly trigger: Trigger;
  readonly stages: readonly StageBlueprint[];
}

/** A new execution, every stage NOT_STARTED; a startExecution message sets it going. */
export function createExecution(blueprint: ExecutionBlueprint, now: number): ExecutionState {
  const stages: Stage[] = blueprint.stages.map((stage) => ({
    id: stage.refId,
    executionId: blueprint.id,
    refId: stage.refId,
    type: stage.type,
    name: stage.name,
    requisiteStageRefIds: stage.requisiteStageRefIds,
    status: 'NOT_STARTED',
    config: stage.context,
    context: {},
    outputs: {},
    onFailure: stage.onFailure,
    ...(stage.stageEnabled === undefined ? {} : { stageEnabled: stage.stageEnabled }),
    ...(stage.stageTimeoutMs === undefined ? {} : { stageTimeoutMs: stage.stageTimeoutMs }),
    tasks: [],
    runNumber: 0,
  }));
  return {
    execution: {
      id: blueprint.id,
      type: blueprint.type,
      application: blueprint.application,
      name: blueprint.name,
      ...(blueprint.pipelineConfigId === undefined ? {} : { pipelineConfigId: blueprint.pipelineConfigId }),
      status: 'NOT_STARTED',
      trigger: blueprint.trigger,
      buildTime: now,
      canceled: false,
      pausedMs: 0,
      limitConcurrent: blueprint.limitConcurrent ?? false,
      keepWaitingPipelines: blueprint.keepWaitingPipelines ?? false,
      maxConcurrentExecutions: blueprint.maxConcurrentExecutions ?? 0,
      version: 0,
    },
    stages,
  };
}

import type { ExecutionStatus } from './status.js';

export type ExecutionType = 'PIPELINE' | 'ORCHESTRATION';

/** What a failed stage does to the rest of the execution (Spinnaker's three booleans, as one value). */
export type OnFailure = 'haltPipeline' | 'haltBranch' | 'haltBranchThenFail' | 'ignore';

/**
 * Where a synthetic stage runs relative to its parent: before its tasks, after them, or — planned when
 * the parent starts but added only if it fails — as clean-up on failure (rollbacks).
 */
export type SyntheticOwner = 'STAGE_BEFORE' | 'STAGE_AFTER' | 'STAGE_ON_FAILURE';

/** A synthetic stage as a stage definition asks for it; the engine gives it ids and places it. */
export interface SyntheticStageSpec {
  readonly type: string;
  readonly name: string;
  readonly context: Readonly<Record<string, unknown>>;
  /** A refId local to its group, used by `requisiteStageRefIds` of siblings; defaults to its position. */
  readonly localRefId?: string;
  readonly requisiteStageRefIds?: readonly string[];
  readonly onFailure?: OnFailure;
  /** Time spent in this stage does not count toward its parent's stageTimeoutMs (execution windows, freezes). */
  readonly excludedFromParentTimeout?: boolean;
}

export interface Trigger {
  readonly type: string;
  readonly user: string;
  readonly parameters: Readonly<Record<string, unknown>>;
  /** Set when a `pipeline` stage started this execution: the parent is woken when this one completes. */
  readonly parentExecutionId?: string;
  readonly parentStageId?: string;
  readonly [field: string]: unknown;
}

export interface Execution {
  readonly id: string;
  readonly type: ExecutionType;
  readonly application: string;
  readonly name: string;
  /** The saved pipeline this run came from (absent for orchestrations). */
  readonly pipelineConfigId?: string;
  readonly status: ExecutionStatus;
  readonly trigger: Trigger;
  readonly buildTime: number;
  readonly startTime?: number;
  readonly endTime?: number;
  readonly canceled: boolean;
  readonly canceledBy?: string;
  readonly cancellationReason?: string;
  /** Total time spent paused, and when the current pause began; timeouts leave paused time out. */
  readonly pausedMs: number;
  readonly pausedAt?: number;
  readonly limitConcurrent: boolean;
  readonly keepWaitingPipelines: boolean;
  readonly maxConcurrentExecutions: number;
  /** Increases with every committed transition; a writer must hold the version it read. */
  readonly version: number;
}

export interface Task {
  readonly id: string;
  readonly name: string;
  /** The key of the task implementation in the stage definition. */
  readonly implementation: string;
  readonly status: ExecutionStatus;
  readonly startTime?: number;
  readonly endTime?: number;
  /** Failed attempts that were retried (thrown retryable errors). */
  readonly retries: number;
}

export interface StageFailure {
  readonly code: string;
  readonly message: string;
  readonly details?: readonly Readonly<Record<string, unknown>>[];
}

export interface Stage {
  readonly id: string;
  readonly executionId: string;
  readonly refId: string;
  readonly type: string;
  readonly name: string;
  readonly requisiteStageRefIds: readonly string[];
  readonly parentStageId?: string;
  readonly syntheticStageOwner?: SyntheticOwner;
  readonly status: ExecutionStatus;
  /** The stage as configured (expressions unevaluated); restored on restart. */
  readonly config: Readonly<Record<string, unknown>>;
  /** Evaluated configuration plus what tasks wrote. */
  readonly context: Readonly<Record<string, unknown>>;
  /** Values published to downstream stages. */
  readonly outputs: Readonly<Record<string, unknown>>;
  readonly onFailure: OnFailure;
  readonly excludedFromParentTimeout?: boolean;
  readonly stageEnabled?: string;
  readonly stageTimeoutMs?: number;
  readonly startTime?: number;
  readonly endTime?: number;
  /** The execution's pausedMs when this stage started, so the stage's own paused time can be derived. */
  readonly pausedMsAtStart?: number;
  readonly tasks: readonly Task[];
  /** On-failure stages planned at start, added as STAGE_ON_FAILURE children only if the stage fails. */
  readonly onFailureStages?: readonly SyntheticStageSpec[];
  /** How many times an operator restarted this stage; part of every idempotency key. */
  readonly runNumber: number;
  readonly failure?: StageFailure;
}

export interface ExecutionState {
  readonly execution: Execution;
  readonly stages: readonly Stage[];
}

/** Id-only messages of the durable queue. Handlers load state by id; duplicates are harmless. */
export type MessageBody =
  | { readonly kind: 'startExecution' }
  | { readonly kind: 'startStage'; readonly stageId: string }
  | { readonly kind: 'runTask'; readonly stageId: string; readonly taskId: string }
  | { readonly kind: 'completeStage'; readonly stageId: string }
  /** Run the stage's running task now: an answer, a skip or a child's completion may have ended its wait. */
  | { readonly kind: 'wakeStage'; readonly stageId: string }
  | { readonly kind: 'cancelStage'; readonly stageId: string }
  | { readonly kind: 'completeExecution' }
  | { readonly kind: 'cancelExecution'; readonly user: string; readonly reason: string }
  | { readonly kind: 'startWaitingExecutions'; readonly pipelineConfigId: string };

export interface OutgoingMessage {
  readonly executionId: string;
  readonly body: MessageBody;
  /** Delay from the transition's time; 0 = now. */
  readonly delayMs: number;
}

/** A committed status change; `application` lets subscribers (the live event stream) filter without a lookup. */
export type EngineEvent =
  | { readonly kind: 'execution'; readonly application: string; readonly executionId: string; readonly status: ExecutionStatus; readonly at: number }
  | {
      readonly kind: 'stage';
      readonly application: string;
      readonly executionId: string;
      readonly stageId: string;
      readonly refId: string;
      readonly status: ExecutionStatus;
      readonly at: number;
    }
  | {
      readonly kind: 'task';
      readonly application: string;
      readonly executionId: string;
      readonly stageId: string;
      readonly taskId: string;
      readonly status: ExecutionStatus;
      readonly at: number;
    };

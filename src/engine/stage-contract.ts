import type { z } from 'zod';
import type { Execution, ExecutionStatus, Stage, StageFailure, StagePlan, Task, TaskResult } from '../core/execution/index.js';
import type { Logger } from '../log/logger.js';
import type { CloudServices } from './cloud-services.js';

/**
 * The one contract every stage type implements. The engine evaluates the stage's `${…}` expressions,
 * parses the result with `input` (a failure names the stage refId and the field), asks `plan` for
 * tasks and synthetic stages, then runs the tasks in order. Deploy strategies and canaries are stage
 * types whose plans add synthetic stages; nothing in the engine knows about them.
 */
export interface StageDefinition<Input = unknown> {
  readonly type: string;
  /** Parses the evaluated stage context. Unknown keys pass through (Spinnaker exports carry UI fields). */
  readonly input: z.ZodType<Input>;
  /**
   * Context keys whose expressions the engine must NOT evaluate at stage start, because the stage
   * evaluates them itself (evaluateVariables evaluates its variables one by one, each seeing the last).
   */
  readonly deferredExpressionKeys?: readonly string[];
  plan(stage: PlanningView<Input>): StagePlan;
  readonly tasks: Readonly<Record<string, TaskDefinition<Input>>>;
  /** Clean-up when the stage is canceled while running (cancel a child pipeline, kill a job). Must be idempotent. */
  cancel?(context: CancelContext<Input>): Promise<void>;
  /** Stages that change infrastructure wait (or fail) while a freeze covers their application or accounts. */
  readonly changesInfrastructure?: boolean;
}

export interface PlanningView<Input> {
  readonly stage: Stage;
  readonly input: Input;
}

export interface TaskDefinition<Input = unknown> {
  /** How long to wait before running again after `running` without its own backoff. Default 1 s. */
  readonly backoffMs?: number;
  /** Fails the task when the stage has run (paused time excluded) longer than this. */
  readonly timeoutMs?: number;
  /** How often a thrown RetryableTaskError is retried before the task fails. Default 5. */
  readonly maxRetries?: number;
  run(context: TaskContext<Input>): Promise<TaskResult>;
}

export interface TaskContext<Input = unknown> {
  readonly execution: Execution;
  readonly stage: Stage;
  readonly task: Task;
  readonly input: Input;
  readonly now: number;
  /** Time the stage has been running, paused time excluded. */
  readonly elapsedMs: number;
  /**
   * Stable across redeliveries of this task run and new after an operator restarts the stage
   * (`executionId/stageId/runNumber/taskId`). Send it with every side effect so the effect happens
   * once however often the task is delivered.
   */
  readonly idempotencyKey: string;
  /** Aborted when the engine shuts down; long waits should stop and return `running`. */
  readonly signal: AbortSignal;
  readonly logger: Logger;
  readonly services: EngineServices;
}

export interface CancelContext<Input = unknown> {
  readonly execution: Execution;
  readonly stage: Stage;
  /** The input as parsed when the stage started, if it got that far. */
  readonly input: Input | undefined;
  readonly logger: Logger;
  readonly services: EngineServices;
}

/** What stages may ask of the engine beyond their own stage. */
export interface EngineServices {
  /**
   * Starts the saved pipeline as a child of the calling stage, with a deterministic id derived from
   * `idempotencyKey`: calling again with the same key returns the same child and starts nothing new.
   */
  startChildPipeline(request: ChildPipelineRequest): Promise<{ readonly executionId: string }>;
  /** The status of an execution, or undefined if it does not exist. */
  executionStatus(executionId: string): Promise<{ readonly status: ExecutionStatus; readonly outputs: Readonly<Record<string, unknown>> } | undefined>;
  cancelExecution(executionId: string, user: string, reason: string): Promise<void>;
  /** Where stages may keep files of their own (job logs, exit codes); survives restarts. */
  readonly dataDir: string;
  /** Evaluate an expression against the running execution (evaluateVariables, checkPreconditions). */
  evaluate(source: string, stage: Stage, extraVariables?: Readonly<Record<string, unknown>>): Promise<EvaluationOutcome>;
  /**
   * Durably claims a once-only local effect (a job) for this engine node. `mine: false` means another
   * node took it first: its effect happened (or is happening) there, so it must not happen here too.
   */
  claimEffect(key: string): Promise<{ readonly owner: string; readonly mine: boolean }>;
  /** The cloud, for stages that change infrastructure. */
  readonly cloud: CloudServices;
}

export type EvaluationOutcome =
  | { readonly ok: true; readonly value: unknown }
  | { readonly ok: false; readonly failure: StageFailure };

export interface ChildPipelineRequest {
  readonly application: string;
  readonly pipelineId: string;
  readonly parameters: Readonly<Record<string, unknown>>;
  readonly parentExecutionId: string;
  readonly parentStageId: string;
  readonly user: string;
  readonly idempotencyKey: string;
}

/** Thrown by a task for a failure worth retrying (connection reset, 5xx): retried after a backoff. */
export class RetryableTaskError extends Error {
  constructor(
    message: string,
    readonly backoffMs?: number,
  ) {
    super(message);
    this.name = 'RetryableTaskError';
  }
}

/**
 * Registers a definition in a list of mixed stage types. The engine passes each definition only values
 * its own `input` schema produced, so erasing the input type here is safe.
 */
export function defineStage<Input>(definition: StageDefinition<Input>): StageDefinition<unknown> {
  return definition as unknown as StageDefinition<unknown>;
}

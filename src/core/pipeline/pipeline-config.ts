import type { ExecutionWindow } from '../time-rules/execution-window.js';
import type { NotificationConfig } from './notifications.js';
import type { ParameterConfig, TriggerConfig, spelEvaluators } from './pipeline-fields.js';
import type { OnFailure } from './stage-envelope.js';

/** One stage as the engine consumes it: engine fields first-class, the stage type's fields in `context`. */
export interface StageConfig {
  readonly refId: string;
  readonly requisiteStageRefIds: readonly string[];
  readonly type: string;
  /** Defaults to the type when the input has no name. */
  readonly name: string;
  readonly onFailure: OnFailure;
  /** The bare `stageEnabled.expression`; the stage is skipped when it evaluates to false. */
  readonly stageEnabled?: string;
  readonly stageTimeoutMs?: number;
  readonly restrictExecutionDuringTimeWindow: boolean;
  readonly restrictedExecutionWindow?: ExecutionWindow;
  readonly skipWindowText?: string;
  /** As written; absent leaves the choice to the expression evaluator's default. */
  readonly failOnFailedExpressions?: boolean;
  readonly comments?: string;
  /**
   * The stage type's fields as its schema parsed them (numbers from strings, defaults filled in), the
   * fields every stage may carry (`sendNotifications`, `notifications`, `expectedArtifacts`), and any
   * unknown keys exactly as given.
   */
  readonly context: Readonly<Record<string, unknown>>;
}

/** A pipeline as the engine consumes it, normalised from Spinnaker's pipeline JSON (or the same in YAML). */
export interface PipelineConfig {
  readonly id?: string;
  readonly application: string;
  readonly name: string;
  readonly stages: readonly StageConfig[];
  readonly parameterConfig: readonly ParameterConfig[];
  readonly triggers: readonly TriggerConfig[];
  readonly notifications: readonly NotificationConfig[];
  readonly limitConcurrent: boolean;
  readonly keepWaitingPipelines: boolean;
  readonly maxConcurrentExecutions: number;
  readonly disabled: boolean;
  readonly spelEvaluator?: (typeof spelEvaluators)[number];
  /** Pipeline-level keys Gennaker does not model, kept as given (Front50 keeps them too). */
  readonly extras: Readonly<Record<string, unknown>>;
}

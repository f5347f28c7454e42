import type { StageDefinition } from '../engine/stage-contract.js';
import { cloudOperationStages } from './cloud/index.js';
import { evaluateVariablesStage } from './evaluate-variables.js';
import { manualJudgmentStage } from './manual-judgment.js';
import { noopStage } from './noop.js';
import { pipelineStage } from './pipeline.js';
import { checkPreconditionStage } from './preconditions/check-precondition.js';
import { checkPreconditionsStage } from './preconditions/check-preconditions.js';
import { runJobStage } from './run-job/run-job.js';
import { waitStage } from './wait.js';
import { webhookStage } from './webhook/webhook.js';

export type { CheckPreconditionsInput, PreconditionCheck, PreconditionEntry } from '../core/pipeline/stage-types/check-preconditions.js';
export type { EvaluateVariablesInput } from '../core/pipeline/stage-types/evaluate-variables.js';
export type { ManualJudgmentInput } from '../core/pipeline/stage-types/manual-judgment.js';
export type { PipelineInput } from '../core/pipeline/stage-types/pipeline-stage.js';
export type { RunJobInput } from '../core/pipeline/stage-types/run-job.js';
export type { WaitInput } from '../core/pipeline/stage-types/wait.js';
export type { WebhookInput } from '../core/pipeline/stage-types/webhook.js';
export { cloudOperationStages } from './cloud/index.js';
export { evaluateVariablesStage } from './evaluate-variables.js';
export { manualJudgmentStage } from './manual-judgment.js';
export { noopStage } from './noop.js';
export { pipelineStage } from './pipeline.js';
export { checkPreconditionStage } from './preconditions/check-precondition.js';
export { checkPreconditionsStage } from './preconditions/check-preconditions.js';
export type { JobOptions } from './run-job/job-options.js';
export { runJobStage } from './run-job/run-job.js';
export { waitStage } from './wait.js';
export { webhookStage, type WebhookOptions } from './webhook/webhook.js';

/** Every stage type that ships with Gennaker (the engine adds its own gates: windows and freezes). */
export function builtInStages(): StageDefinition[] {
  return [
    noopStage(),
    waitStage(),
    manualJudgmentStage(),
    checkPreconditionsStage(),
    checkPreconditionStage(),
    evaluateVariablesStage(),
    webhookStage(),
    runJobStage(),
    pipelineStage(),
    ...cloudOperationStages(),
  ];
}

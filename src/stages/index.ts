import type { StageDefinition } from '../engine/stage-contract.js';
import { evaluateVariablesStage } from './evaluate-variables.js';
import { manualJudgmentStage } from './manual-judgment.js';
import { noopStage } from './noop.js';
import { pipelineStage } from './pipeline.js';
import { checkPreconditionStage } from './preconditions/check-precondition.js';
import { checkPreconditionsStage } from './preconditions/check-preconditions.js';
import { runJobStage } from './run-job/run-job.js';
import { waitStage } from './wait.js';
import { webhookStage } from './webhook/webhook.js';

export { evaluateVariablesStage, type EvaluateVariablesInput } from './evaluate-variables.js';
export { manualJudgmentStage, type ManualJudgmentInput } from './manual-judgment.js';
export { noopStage } from './noop.js';
export { pipelineStage, type PipelineInput } from './pipeline.js';
export { checkPreconditionStage } from './preconditions/check-precondition.js';
export { checkPreconditionsStage, type CheckPreconditionsInput } from './preconditions/check-preconditions.js';
export type { PreconditionCheck, PreconditionEntry } from './preconditions/precondition-input.js';
export type { JobOptions } from './run-job/job-options.js';
export { runJobStage } from './run-job/run-job.js';
export type { RunJobInput } from './run-job/run-job-input.js';
export { waitStage, type WaitInput } from './wait.js';
export { webhookStage, type WebhookOptions } from './webhook/webhook.js';
export type { WebhookInput } from './webhook/webhook-input.js';

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
  ];
}

import type { ExecutionBlueprint } from './create.js';

/** One step of an ad-hoc operation: a stage type and its fields, as a pipeline stage would carry them. */
export interface OrchestrationStep {
  readonly type: string;
  readonly name?: string;
  readonly context: Readonly<Record<string, unknown>>;
}

/**
 * An orchestration: what a UI button or CLI command runs without a saved pipeline (Spinnaker's ad-hoc
 * tasks). Its stages run one after another and it is recorded like a pipeline execution.
 */
export function orchestrationBlueprint(
  run: { readonly id: string; readonly application: string; readonly description: string; readonly user: string },
  steps: readonly OrchestrationStep[],
): ExecutionBlueprint {
  return {
    id: run.id,
    type: 'ORCHESTRATION',
    application: run.application,
    name: run.description,
    trigger: { type: 'manual', user: run.user, parameters: {} },
    stages: steps.map((step, index) => ({
      refId: String(index + 1),
      type: step.type,
      name: step.name ?? step.type,
      requisiteStageRefIds: index === 0 ? [] : [String(index)],
      onFailure: 'haltPipeline',
      context: step.context,
    })),
  };
}

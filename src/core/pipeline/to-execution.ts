import { GennakerError } from '../errors.js';
import type { ExecutionBlueprint, Trigger } from '../execution/index.js';
import type { PipelineConfig } from './pipeline-config.js';

/**
 * The parameters a run sees: each configured parameter's default, overridden by what the trigger
 * gave; a required parameter with neither is an error naming it. Unconfigured parameters pass through.
 */
export function resolveParameters(pipeline: PipelineConfig, given: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const resolved: Record<string, unknown> = { ...given };
  const missing: string[] = [];
  for (const parameter of pipeline.parameterConfig) {
    const value = given[parameter.name];
    if (value !== undefined && value !== '') continue;
    if (parameter.default !== undefined && parameter.default !== '') resolved[parameter.name] = parameter.default;
    else if (parameter.required) missing.push(parameter.name);
  }
  if (missing.length > 0) {
    throw new GennakerError(
      'GNK_E_VALIDATION',
      `pipeline "${pipeline.name}" needs parameter(s) ${missing.join(', ')}`,
      missing.map((name) => ({ path: `parameters.${name}`, expected: 'a value (the parameter is required and has no default)' })),
    );
  }
  return resolved;
}

/** A run of a validated pipeline: the engine's blueprint of a new execution. */
export function executionBlueprint(
  pipeline: PipelineConfig,
  run: { readonly id: string; readonly trigger: Trigger; readonly pipelineConfigId?: string },
): ExecutionBlueprint {
  const trigger = { ...run.trigger, parameters: resolveParameters(pipeline, run.trigger.parameters) };
  return {
    id: run.id,
    type: 'PIPELINE',
    application: pipeline.application,
    name: pipeline.name,
    ...(run.pipelineConfigId === undefined ? {} : { pipelineConfigId: run.pipelineConfigId }),
    trigger,
    limitConcurrent: pipeline.limitConcurrent,
    keepWaitingPipelines: pipeline.keepWaitingPipelines,
    maxConcurrentExecutions: pipeline.maxConcurrentExecutions,
    stages: pipeline.stages.map((stage) => ({
      refId: stage.refId,
      type: stage.type,
      name: stage.name,
      requisiteStageRefIds: stage.requisiteStageRefIds,
      onFailure: stage.onFailure,
      ...(stage.stageEnabled === undefined ? {} : { stageEnabled: stage.stageEnabled }),
      ...(stage.stageTimeoutMs === undefined ? {} : { stageTimeoutMs: stage.stageTimeoutMs }),
      // The engine plans the window's synthetic stage from these; they travel with the stage's own fields.
      context: stage.restrictExecutionDuringTimeWindow
        ? {
            ...stage.context,
            restrictExecutionDuringTimeWindow: true,
            restrictedExecutionWindow: stage.restrictedExecutionWindow,
            ...(stage.skipWindowText === undefined ? {} : { skipWindowText: stage.skipWindowText }),
          }
        : stage.context,
    })),
  };
}

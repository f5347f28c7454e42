import type { ExecutionState, Stage } from '../core/execution/index.js';
import { executionFunctions, type ExpressionScope } from '../core/expressions/index.js';

/**
 * What `${…}` in a stage can see: `trigger`, `parameters` (the trigger's), `execution` (a summary and
 * every stage), and the functions `#stage`, `#judgment` and friends over the current execution.
 */
export function expressionScope(state: ExecutionState, current: Stage, extraVariables: Readonly<Record<string, unknown>> = {}): ExpressionScope {
  const { execution } = state;
  const stages = state.stages.map((stage) => ({
    id: stage.id,
    refId: stage.refId,
    name: stage.name,
    type: stage.type,
    status: stage.status,
    context: stage.context as Record<string, unknown>,
    outputs: stage.outputs as Record<string, unknown>,
  }));
  return {
    variables: {
      trigger: execution.trigger,
      parameters: execution.trigger.parameters,
      execution: {
        id: execution.id,
        application: execution.application,
        name: execution.name,
        status: execution.status,
        trigger: execution.trigger,
        startTime: execution.startTime ?? null,
        stages,
      },
      ...extraVariables,
    },
    functions: executionFunctions({ stages, currentStageId: current.id }),
  };
}

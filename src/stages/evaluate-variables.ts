import {
  evaluateVariablesStageSchema,
  evaluateVariablesStageType,
  type EvaluateVariablesInput,
} from '../core/pipeline/stage-types/evaluate-variables.js';
import type { StageDefinition } from '../engine/stage-contract.js';
import { evaluateValue } from './shared/evaluate-value.js';
import { tasksInOrder } from './shared/task-plan.js';

/**
 * Evaluates its variables one by one, in order, each seeing the ones before it by name (Spinnaker's
 * v4 behaviour), and publishes them as stage outputs. The engine leaves `variables` unevaluated for
 * this; on a restart the stage starts again from the expressions as configured.
 */
export function evaluateVariablesStage(): StageDefinition<EvaluateVariablesInput> {
  return {
    type: 'evaluateVariables',
    input: evaluateVariablesStageSchema,
    deferredExpressionKeys: evaluateVariablesStageType.deferredExpressionKeys ?? [],
    plan: () => tasksInOrder('evaluateVariables'),
    tasks: {
      evaluateVariables: {
        run: async ({ input, stage, services }) => {
          // A Map, then fromEntries: a variable named __proto__ stays a variable.
          const evaluated = new Map<string, unknown>();
          for (const [index, { key, value }] of input.variables.entries()) {
            const variables = Object.fromEntries(evaluated);
            const result = await evaluateValue(value, `$.variables[${index}].value`, { stage, services, variables });
            if (!result.ok) {
              const message = `variable \`${key}\` could not be evaluated: \`${result.expression}\` (at ${result.path}): ${result.failure.message}`;
              return { kind: 'terminal', failure: { ...result.failure, message } };
            }
            evaluated.set(key, result.value);
          }
          return { kind: 'succeeded', outputs: Object.fromEntries(evaluated) };
        },
      },
    },
  };
}

import type { SyntheticStageSpec } from '../../core/execution/index.js';
import {
  checkPreconditionsStageSchema,
  checkPreconditionsStageType,
  type CheckPreconditionsInput,
  type PreconditionEntry,
} from '../../core/pipeline/stage-types/check-preconditions.js';
import type { StageDefinition } from '../../engine/stage-contract.js';

function checkStage(precondition: PreconditionEntry): SyntheticStageSpec {
  return {
    type: 'checkPrecondition',
    name: `Check precondition (${precondition.type})`,
    context: { preconditionType: precondition.type, context: precondition.context, failPipeline: precondition.failPipeline },
    onFailure: precondition.failPipeline ? 'haltPipeline' : 'ignore',
  };
}

/**
 * Checks each precondition in its own parallel before-stage, as Spinnaker does. A failed precondition
 * with `failPipeline: false` is ignored (its stage ends FAILED_CONTINUE) and the others still count.
 * The preconditions are left unevaluated here: each check stage evaluates its own.
 */
export function checkPreconditionsStage(): StageDefinition<CheckPreconditionsInput> {
  return {
    type: 'checkPreconditions',
    input: checkPreconditionsStageSchema,
    deferredExpressionKeys: checkPreconditionsStageType.deferredExpressionKeys ?? [],
    plan: ({ input }) => ({ tasks: [], beforeStages: input.preconditions.map(checkStage), afterStages: [] }),
    tasks: {},
  };
}

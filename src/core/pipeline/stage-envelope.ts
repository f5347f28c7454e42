import { z } from 'zod';
import { executionWindowSchema } from '../time-rules/execution-window.js';
import { booleanLike, nonEmptyText, numberLike } from './value-or-expression.js';

/** Deck's stage type allows numeric refIds; they are normalised to strings so `1` and `"1"` are one stage. */
export const refIdLike = z.unknown().transform((input, context): string => {
  if (typeof input === 'string' && input.trim() !== '') return input;
  if (typeof input === 'number' && Number.isFinite(input)) return String(input);
  context.addIssue({ code: 'custom', message: 'a refId (a non-empty string or a number)', input });
  return z.NEVER;
});

/**
 * The fields every stage carries, whatever its type; the engine reads these, the stage type reads the rest.
 * `type` is checked separately against the stage-type registry, and `refId` presence depends on the
 * pipeline's format (graph or linear). The engine plans with these before any expression is evaluated, so
 * they must be literal values.
 */
export const stageEnvelopeSchema = z.looseObject({
  refId: refIdLike.optional(),
  requisiteStageRefIds: z.array(refIdLike, { error: 'a list of refIds' }).default([]),
  name: nonEmptyText('a non-empty stage name').optional(),
  comments: z.string().optional(),
  failPipeline: booleanLike().optional(),
  continuePipeline: booleanLike().optional(),
  completeOtherBranchesThenFail: booleanLike().optional(),
  failOnFailedExpressions: booleanLike().optional(),
  stageEnabled: z
    .looseObject({
      type: z.literal('expression', { error: 'the value "expression"' }).optional(),
      expression: nonEmptyText('a non-empty expression'),
    })
    .optional(),
  restrictExecutionDuringTimeWindow: booleanLike().default(false),
  restrictedExecutionWindow: executionWindowSchema.optional(),
  skipWindowText: z.string().optional(),
  stageTimeoutMs: numberLike({ integer: true, min: 1 }, 'a whole number of milliseconds ≥ 1').optional(),
});

export type StageEnvelope = z.output<typeof stageEnvelopeSchema>;

export const stageEnvelopeFieldNames: readonly string[] = ['type', ...Object.keys(stageEnvelopeSchema.shape)];

/** What happens to the pipeline when a stage fails; one enum instead of Spinnaker's three flags. */
export type OnFailure = 'haltPipeline' | 'haltBranch' | 'haltBranchThenFail' | 'ignore';

export interface FailureFlags {
  readonly failPipeline?: boolean;
  readonly continuePipeline?: boolean;
  readonly completeOtherBranchesThenFail?: boolean;
}

/** Orca's rule (Stage.kt `failureStatus`), in its order of precedence; absent flags mean "halt the pipeline". */
export function onFailureFrom({ failPipeline, continuePipeline, completeOtherBranchesThenFail }: FailureFlags): OnFailure {
  if (continuePipeline === true) return 'ignore';
  if (failPipeline === undefined || failPipeline) return 'haltPipeline';
  if (completeOtherBranchesThenFail === true) return 'haltBranchThenFail';
  return 'haltBranch';
}

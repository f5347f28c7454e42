import { z } from 'zod';
import { executionStatuses } from '../../execution/status.js';
import { defaulted, flag, optional, text, trimmedText, upperCaseEnum, wholeNumber } from '../stage-fields.js';
import { isExpression } from '../value-or-expression.js';
import { defineStageType, type ExternalReference } from './stage-type.js';

const preconditionTypes = ['expression', 'stageStatus', 'clusterSize'] as const;

/**
 * The contexts below are evaluated by the check itself (the stage's `preconditions` are deferred), so the
 * schema sees them as written: a field the check evaluates is text, a field it compares is a literal.
 */
const contextError = { error: "expected the precondition's context: an object" };

const expressionCheck = z.looseObject({
  /** Written bare, as in Spinnaker (`parameters.env == 'prod'`), or as `${…}`; the check evaluates it. */
  expression: z.union([z.string().trim().min(1), z.boolean()], { error: 'expected an expression (text) or true/false' }),
  failureMessage: optional(text()),
}, contextError);

const stageStatusCheck = z.looseObject({
  stageName: trimmedText('expected the name of a stage'),
  stageStatus: upperCaseEnum(executionStatuses, `expected a stage status (${executionStatuses.join(', ')})`),
}, contextError);

const comparisons = ['<', '<=', '==', '>=', '>'] as const;

/** Accepted so Spinnaker pipelines parse; checked only once cloud providers exist. */
const clusterSizeCheck = z.looseObject({
  cluster: trimmedText('expected a cluster name'),
  credentials: trimmedText('expected an account name'),
  regions: z.array(trimmedText('expected a region name'), { error: 'expected a list of regions' }).min(1, { error: 'expected at least one region' }),
  comparison: defaulted(z.enum(comparisons, { error: `expected a comparison: one of ${comparisons.join(', ')}` }), '=='),
  expected: defaulted(wholeNumber(0, 'expected a whole number of server groups, 0 or more'), 1),
  onlyEnabledServerGroups: optional(flag),
}, contextError);

const typeError = { error: `expected a precondition type: ${preconditionTypes.join(', ')}` };

/** Each precondition may stop the pipeline (the default) or only fail its own check. */
const failPipeline = defaulted(flag, true);

/** One entry of `checkPreconditions.preconditions[]`, as Spinnaker writes it. */
export const preconditionEntry = z.discriminatedUnion(
  'type',
  [
    z.looseObject({ type: z.literal('expression'), failPipeline, context: expressionCheck }),
    z.looseObject({ type: z.literal('stageStatus'), failPipeline, context: stageStatusCheck }),
    z.looseObject({ type: z.literal('clusterSize'), failPipeline, context: clusterSizeCheck }),
  ],
  typeError,
);

export type PreconditionEntry = z.output<typeof preconditionEntry>;

/**
 * The context of one synthetic `checkPrecondition` stage (Spinnaker's keys: `preconditionType`, `context`),
 * planned by `checkPreconditions` from a parsed entry. Not a type people write, so not in the registry.
 */
export const preconditionCheckSchema = z.discriminatedUnion(
  'preconditionType',
  [
    z.looseObject({ preconditionType: z.literal('expression'), context: expressionCheck }),
    z.looseObject({ preconditionType: z.literal('stageStatus'), context: stageStatusCheck }),
    z.looseObject({ preconditionType: z.literal('clusterSize'), context: clusterSizeCheck }),
  ],
  typeError,
);

export type PreconditionCheck = z.output<typeof preconditionCheckSchema>;

/** `checkPreconditions`: every precondition must hold, or the stage fails. */
export const checkPreconditionsStageSchema = z.looseObject({
  preconditions: defaulted(z.array(preconditionEntry, { error: 'expected a list of preconditions' }), []),
});

export type CheckPreconditionsInput = z.output<typeof checkPreconditionsStageSchema>;

function recordAt(value: unknown): Readonly<Record<string, unknown>> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

/** The accounts named by literal clusterSize preconditions; the context is read as written. */
function clusterAccounts(context: Readonly<Record<string, unknown>>): ExternalReference[] {
  const preconditions = context['preconditions'];
  if (!Array.isArray(preconditions)) return [];
  return preconditions.flatMap((precondition: unknown, index): ExternalReference[] => {
    const entry = recordAt(precondition);
    const credentials = recordAt(entry['context'])['credentials'];
    if (entry['type'] !== 'clusterSize' || typeof credentials !== 'string') return [];
    const name = credentials.trim();
    if (name === '' || isExpression(name)) return [];
    return [{ kind: 'account', name, path: ['preconditions', index, 'context', 'credentials'] }];
  });
}

export const checkPreconditionsStageType = defineStageType(checkPreconditionsStageSchema, {
  references: clusterAccounts,
  deferredExpressionKeys: ['preconditions'],
});

import { z } from 'zod';
import {
  booleanLike,
  booleanOrExpression,
  enumOrExpression,
  isExpression,
  nonEmptyText,
  numberOrExpression,
} from '../value-or-expression.js';
import { executionStatuses } from '../../execution/status.js';
import { defineStageType, type ExternalReference } from './stage-type.js';

/** The statuses a `stageStatus` precondition may name: ours, plus Spinnaker's task-level REDIRECT. */
const stageStatuses = [...executionStatuses, 'REDIRECT'] as const;

/** Each precondition may stop the pipeline (the default) or only fail its own check. */
const failPipeline = booleanLike().default(true);

const expressionPrecondition = z.looseObject({
  type: z.literal('expression'),
  failPipeline,
  context: z.looseObject({
    /** Written bare, as in Spinnaker (`parameters.env == 'prod'`); it is wrapped in `${…}` when evaluated. */
    expression: nonEmptyText('a non-empty expression'),
    failureMessage: z.string().optional(),
  }),
});

const stageStatusPrecondition = z.looseObject({
  type: z.literal('stageStatus'),
  failPipeline,
  context: z.looseObject({
    stageName: nonEmptyText('the name of a stage in this pipeline'),
    stageStatus: enumOrExpression(stageStatuses, 'an execution status such as SUCCEEDED, or an expression'),
  }),
});

const clusterSizePrecondition = z.looseObject({
  type: z.literal('clusterSize'),
  failPipeline,
  context: z.looseObject({
    cluster: nonEmptyText('a cluster name'),
    credentials: nonEmptyText('an account name'),
    regions: z.array(nonEmptyText('a region name')).min(1, { error: 'at least one region' }),
    comparison: enumOrExpression(['<', '<=', '==', '>=', '>']).default('=='),
    expected: numberOrExpression({ integer: true, min: 0 }).default(1),
    onlyEnabledServerGroups: booleanOrExpression().optional(),
  }),
});

/** `checkPreconditions`: every precondition must hold, or the stage fails. */
export const checkPreconditionsStageSchema = z.looseObject({
  preconditions: z
    .array(z.discriminatedUnion('type', [expressionPrecondition, stageStatusPrecondition, clusterSizePrecondition]))
    .default([]),
});

export type CheckPreconditionsStageContext = z.output<typeof checkPreconditionsStageSchema>;

function clusterAccounts(context: CheckPreconditionsStageContext): ExternalReference[] {
  return context.preconditions.flatMap((precondition, index): ExternalReference[] =>
    precondition.type === 'clusterSize' && !isExpression(precondition.context.credentials)
      ? [{ kind: 'account', name: precondition.context.credentials, path: ['preconditions', index, 'context', 'credentials'] }]
      : [],
  );
}

export const checkPreconditionsStageType = defineStageType(checkPreconditionsStageSchema, clusterAccounts);

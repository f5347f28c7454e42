import { z } from 'zod';
import { executionStatuses } from '../../core/execution/index.js';
import { defaulted, flag, nonEmptyText, optional } from '../shared/fields.js';

export const preconditionTypes = ['expression', 'stageStatus', 'clusterSize'] as const;

const expressionCheck = z.looseObject({
  /** A bare expression (`parameters.env == 'prod'`); written as `${…}` it arrives already evaluated. */
  expression: z.union([z.string().trim().min(1), z.boolean()], { error: 'expected an expression (text) or true/false' }),
  failureMessage: optional(z.string({ error: 'expected text' })),
});

const stageStatusCheck = z.looseObject({
  stageName: nonEmptyText('expected the name of a stage'),
  stageStatus: z
    .string({ error: `expected a stage status (${executionStatuses.join(', ')})` })
    .trim()
    .transform((status) => status.toUpperCase())
    .pipe(z.enum(executionStatuses, { error: `expected a stage status (${executionStatuses.join(', ')})` })),
});

/** Accepted so Spinnaker pipelines parse; checked only once cloud providers exist. */
const clusterSizeCheck = z.looseObject({});

const typeError = { error: `expected a precondition type: ${preconditionTypes.join(', ')}` };
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

/** The context of one synthetic `checkPrecondition` stage (Spinnaker's keys: `preconditionType`, `context`). */
export const preconditionCheck = z.discriminatedUnion(
  'preconditionType',
  [
    z.looseObject({ preconditionType: z.literal('expression'), context: expressionCheck }),
    z.looseObject({ preconditionType: z.literal('stageStatus'), context: stageStatusCheck }),
    z.looseObject({ preconditionType: z.literal('clusterSize'), context: clusterSizeCheck }),
  ],
  typeError,
);

export type PreconditionCheck = z.output<typeof preconditionCheck>;

import { z } from 'zod';
import { notificationSchema } from './notifications.js';
import { booleanLike, nonEmptyText, numberLike } from './value-or-expression.js';

const scalar = z.union([z.string(), z.number(), z.boolean(), z.null()], { error: 'text, a number or true/false' });

/** One entry of `parameterConfig`; read in expressions as `${parameters.<name>}`. */
export const parameterSchema = z.looseObject({
  name: nonEmptyText('a non-empty parameter name'),
  label: z.string().optional(),
  description: z.string().optional(),
  default: scalar.optional(),
  required: booleanLike().default(false),
  hasOptions: booleanLike().default(false),
  options: z.array(z.looseObject({ value: scalar })).default([]),
  pinned: booleanLike().default(false),
  condition: z
    .looseObject({
      parameter: nonEmptyText('the name of another parameter'),
      comparator: nonEmptyText('a comparator such as "=" or ">"'),
      comparatorValue: z.unknown(),
    })
    .optional(),
  constraint: z.string().optional(),
});

export type ParameterConfig = z.output<typeof parameterSchema>;

/**
 * One entry of `triggers`. Each trigger type has its own fields; only those the validator can check
 * (a cron expression, the pipeline a pipeline trigger watches) are required here. Echo treats a trigger
 * without `enabled` as disabled, so absent means false (and the validator warns).
 */
export const triggerSchema = z
  .looseObject({
    type: nonEmptyText('a trigger type such as manual, cron, pipeline or webhook'),
    enabled: booleanLike().default(false),
    runAsUser: z.string().optional(),
    description: z.string().optional(),
    expectedArtifactIds: z.array(z.string()).optional(),
  })
  .superRefine((trigger, context) => {
    const requireText = (field: string, expected: string): void => {
      const value = trigger[field];
      if (typeof value !== 'string' || value === '') context.addIssue({ code: 'custom', path: [field], message: expected });
    };
    if (trigger.type === 'cron') requireText('cronExpression', 'a cron expression (Quartz syntax, with a seconds field)');
    if (trigger.type === 'pipeline') {
      requireText('application', 'the application of the pipeline this trigger watches');
      requireText('pipeline', 'the id of the pipeline this trigger watches');
    }
  });

export type TriggerConfig = z.output<typeof triggerSchema>;

export const spelEvaluators = ['v2', 'v3', 'v4'] as const;

/** The pipeline-level fields Gennaker models; `stages` is checked on its own, everything else is kept as extras. */
export const pipelineFieldsSchema = z.looseObject({
  id: z
    .union([nonEmptyText('a pipeline id'), z.number()], { error: 'a pipeline id' })
    .transform(String)
    .optional(),
  application: nonEmptyText('an application name'),
  name: nonEmptyText('a pipeline name'),
  parameterConfig: z.array(parameterSchema).default([]),
  triggers: z.array(triggerSchema).default([]),
  notifications: z.array(notificationSchema).default([]),
  /**
   * Absent means false: Orca runs a pipeline without the key concurrently, and Deck shows the box
   * unchecked; only Deck's "create pipeline" dialog writes true, and it writes it explicitly.
   */
  limitConcurrent: booleanLike().default(false),
  keepWaitingPipelines: booleanLike().default(false),
  maxConcurrentExecutions: numberLike({ integer: true, min: 0 }).default(0),
  disabled: booleanLike().default(false),
  spelEvaluator: z.enum(spelEvaluators).optional(),
});

export const modelledPipelineFieldNames: ReadonlySet<string> = new Set([
  'stages',
  ...Object.keys(pipelineFieldsSchema.shape),
]);

/**
 * Pipeline keys Front50 or Deck write that Gennaker does not model: kept in `extras` without a warning.
 * Any other key is kept too, but warned about, since it is more likely a typo than a feature.
 */
export const recognisedPipelineExtras: ReadonlySet<string> = new Set([
  'appConfig',
  'type',
  'description',
  'index',
  'expectedArtifacts',
  'roles',
  'serviceAccount',
  'locked',
  'template',
  'constraints',
  'payloadConstraints',
  'stageCounter',
  'email',
  'lastModifiedBy',
  'lastModified',
  'updateTs',
  'createTs',
  'tags',
  'manualStartAlert',
  'respectQuietPeriod',
  'schema',
  'source',
  'strategy',
  'isNew',
  'parallel',
]);

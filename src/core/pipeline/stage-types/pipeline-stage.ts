import { z } from 'zod';
import { booleanOrExpression, isExpression, nonEmptyText } from '../value-or-expression.js';
import { defineStageType, type ExternalReference } from './stage-type.js';

/** `pipeline`: starts another pipeline (by id) with parameters and, by default, waits for it to finish. */
export const pipelineStageSchema = z.looseObject({
  application: nonEmptyText('the application of the pipeline to run'),
  pipeline: nonEmptyText('the id of the pipeline to run'),
  pipelineParameters: z.record(z.string(), z.unknown()).default({}),
  waitForCompletion: booleanOrExpression().default(true),
});

export type PipelineStageContext = z.output<typeof pipelineStageSchema>;

/** References written as expressions are resolved at run time, so only literal ones can be checked now. */
function childPipeline({ application, pipeline }: PipelineStageContext): ExternalReference[] {
  if (isExpression(application)) return [];
  const applicationReference: ExternalReference = { kind: 'application', name: application, path: ['application'] };
  if (isExpression(pipeline)) return [applicationReference];
  return [applicationReference, { kind: 'pipeline', application, id: pipeline, path: ['pipeline'] }];
}

export const pipelineStageType = defineStageType(pipelineStageSchema, childPipeline);

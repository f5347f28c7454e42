import { z } from 'zod';
import { defaulted, flag, trimmedText } from '../stage-fields.js';
import { isExpression } from '../value-or-expression.js';
import { defineStageType, type ExternalReference } from './stage-type.js';

/** `pipeline`: starts another pipeline (by id) with parameters and, by default, waits for it to finish. */
export const pipelineStageSchema = z.looseObject({
  application: trimmedText('expected the application of the pipeline to run'),
  pipeline: trimmedText('expected the id of the pipeline to run'),
  pipelineParameters: defaulted(z.record(z.string(), z.unknown(), { error: 'expected a map of parameter names to values' }), {}),
  waitForCompletion: defaulted(flag, true),
});

export type PipelineInput = z.output<typeof pipelineStageSchema>;

function literalText(value: unknown): value is string {
  return typeof value === 'string' && value.trim() !== '' && !isExpression(value);
}

/** References written as expressions are resolved at run time, so only literal ones can be checked now. */
function childPipeline(context: Readonly<Record<string, unknown>>): ExternalReference[] {
  const { application, pipeline } = context;
  if (!literalText(application)) return [];
  const applicationReference: ExternalReference = { kind: 'application', name: application.trim(), path: ['application'] };
  if (!literalText(pipeline)) return [applicationReference];
  return [applicationReference, { kind: 'pipeline', application: application.trim(), id: pipeline.trim(), path: ['pipeline'] }];
}

export const pipelineStageType = defineStageType(pipelineStageSchema, { references: childPipeline });

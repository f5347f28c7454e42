import { z } from 'zod';
import { defaulted, optional, text, trimmedText } from '../stage-fields.js';
import { defineStageType } from './stage-type.js';

const variable = z.looseObject(
  {
    key: trimmedText('expected a non-empty variable name'),
    value: z.unknown(),
    description: optional(text()),
  },
  { error: 'expected a variable {"key": …, "value": …}' },
);

/**
 * `evaluateVariables`: evaluates each `value` in order (each sees the ones before it) and publishes them as
 * stage outputs under their `key`. A value is usually an expression but may be any JSON value. The stage
 * evaluates `variables` itself, so the schema sees them as written.
 */
export const evaluateVariablesStageSchema = z.looseObject({
  variables: defaulted(z.array(variable, { error: 'expected a list of {key, value} variables' }), []),
});

export type EvaluateVariablesInput = z.output<typeof evaluateVariablesStageSchema>;

export const evaluateVariablesStageType = defineStageType(evaluateVariablesStageSchema, { deferredExpressionKeys: ['variables'] });

import { z } from 'zod';
import { nonEmptyText } from '../value-or-expression.js';
import { defineStageType } from './stage-type.js';

/**
 * `evaluateVariables`: evaluates each `value` in order (each sees the ones before it) and publishes them as
 * stage outputs under their `key`. A value is usually an expression but may be any JSON value.
 */
export const evaluateVariablesStageSchema = z.looseObject({
  variables: z
    .array(
      z.looseObject({
        key: nonEmptyText('a non-empty variable name'),
        value: z.unknown(),
        description: z.string().optional(),
      }),
    )
    .default([]),
});

export type EvaluateVariablesStageContext = z.output<typeof evaluateVariablesStageSchema>;

export const evaluateVariablesStageType = defineStageType(evaluateVariablesStageSchema);

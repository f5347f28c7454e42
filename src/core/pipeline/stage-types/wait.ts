import { z } from 'zod';
import { numberOrExpression } from '../value-or-expression.js';
import { defineStageType } from './stage-type.js';

/** `wait`: succeeds once `waitTime` seconds have passed since the stage started. */
export const waitStageSchema = z.looseObject({
  waitTime: numberOrExpression({ min: 0 }, 'a number of seconds or an expression'),
  skipWaitText: z.string().optional(),
});

export type WaitStageContext = z.output<typeof waitStageSchema>;

export const waitStageType = defineStageType(waitStageSchema);

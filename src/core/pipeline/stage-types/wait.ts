import { z } from 'zod';
import { optional, seconds, text } from '../stage-fields.js';
import { defineStageType } from './stage-type.js';

/** `wait`: succeeds once `waitTime` seconds of stage time have passed. */
export const waitStageSchema = z.looseObject({
  waitTime: seconds(),
  skipWaitText: optional(text()),
});

export type WaitInput = z.output<typeof waitStageSchema>;

export const waitStageType = defineStageType(waitStageSchema);

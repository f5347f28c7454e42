import { z } from 'zod';
import { requireServerGroupTarget, serverGroupTargetFields } from './cloud-fields.js';
import { defineStageType } from './stage-type.js';

/** `destroyServerGroup`: removes a group and its instances (traffic guards permitting). */
export const destroyServerGroupStageSchema = z.looseObject({ ...serverGroupTargetFields }).superRefine(requireServerGroupTarget);

export type DestroyServerGroupInput = z.output<typeof destroyServerGroupStageSchema>;

export const destroyServerGroupStageType = defineStageType(destroyServerGroupStageSchema);

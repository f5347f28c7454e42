import { z } from 'zod';
import { requireServerGroupTarget, serverGroupTargetFields, waitAfterDisableField } from './cloud-fields.js';
import { defineStageType } from './stage-type.js';

/** `disableServerGroup`: takes a group out of its load balancers (traffic guards permitting). */
export const disableServerGroupStageSchema = z
  .looseObject({ ...serverGroupTargetFields, waitAfterDisableSec: waitAfterDisableField })
  .superRefine(requireServerGroupTarget);

export type DisableServerGroupInput = z.output<typeof disableServerGroupStageSchema>;

export const disableServerGroupStageType = defineStageType(disableServerGroupStageSchema);

import { z } from 'zod';
import { instancesUpTimeoutField, requireServerGroupTarget, serverGroupTargetFields } from './cloud-fields.js';
import { defineStageType } from './stage-type.js';

/** `enableServerGroup`: puts a group back into its load balancers and waits for its instances to be Up. */
export const enableServerGroupStageSchema = z
  .looseObject({ ...serverGroupTargetFields, instancesUpTimeoutSec: instancesUpTimeoutField })
  .superRefine(requireServerGroupTarget);

export type EnableServerGroupInput = z.output<typeof enableServerGroupStageSchema>;

export const enableServerGroupStageType = defineStageType(enableServerGroupStageSchema);

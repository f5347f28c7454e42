import { z } from 'zod';
import { numberLike } from '../value-or-expression.js';
import { cloudLocationFields, requireCluster, requireLocation } from './cloud-fields.js';
import { defineStageType } from './stage-type.js';

const percentExpected = 'expected a percentage from 0 to 100, or null to return to equal shares per instance';

/**
 * `setTrafficWeights` (Gennaker's): sends `newServerGroupPercent` of the traffic of every balancer the
 * cluster's newest group is attached to to that group, the rest to the cluster's other enabled groups;
 * `null` clears the weights.
 */
export const setTrafficWeightsStageSchema = z
  .looseObject({
    ...cloudLocationFields,
    newServerGroupPercent: z.union([z.null(), numberLike({ min: 0, max: 100, integer: true }, percentExpected)], { error: percentExpected }),
  })
  .superRefine((value, context) => {
    requireLocation(value, context);
    requireCluster(value, context);
  });

export type SetTrafficWeightsInput = z.output<typeof setTrafficWeightsStageSchema>;

export const setTrafficWeightsStageType = defineStageType(setTrafficWeightsStageSchema);

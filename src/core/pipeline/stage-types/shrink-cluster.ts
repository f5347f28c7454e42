import { z } from 'zod';
import { defaulted, flag, wholeNumber } from '../stage-fields.js';
import { cloudLocationFields, requireCluster, requireLocation } from './cloud-fields.js';
import { defineStageType } from './stage-type.js';

/** `shrinkCluster`: destroys all but `shrinkToSize` groups; active ones only with `allowDeleteActive` (disabled first). */
export const shrinkClusterStageSchema = z
  .looseObject({
    ...cloudLocationFields,
    shrinkToSize: defaulted(wholeNumber(0, 'expected a whole number of server groups, 0 or more'), 1),
    allowDeleteActive: defaulted(flag, false),
    retainLargerOverNewer: defaulted(flag, false),
  })
  .superRefine((value, context) => {
    requireLocation(value, context);
    requireCluster(value, context);
  });

export type ShrinkClusterInput = z.output<typeof shrinkClusterStageSchema>;

export const shrinkClusterStageType = defineStageType(shrinkClusterStageSchema);

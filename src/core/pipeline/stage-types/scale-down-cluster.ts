import { z } from 'zod';
import { defaulted, flag, wholeNumber } from '../stage-fields.js';
import { cloudLocationFields, requireCluster, requireLocation } from './cloud-fields.js';
import { defineStageType } from './stage-type.js';

/** `scaleDownCluster`: scales to 0 all but `remainingFullSizeServerGroups` groups, sparing active ones unless allowed. */
export const scaleDownClusterStageSchema = z
  .looseObject({
    ...cloudLocationFields,
    remainingFullSizeServerGroups: defaulted(wholeNumber(0, 'expected a whole number of server groups, 0 or more'), 1),
    preferLargerOverNewer: defaulted(flag, false),
    allowScaleDownActive: defaulted(flag, false),
  })
  .superRefine((value, context) => {
    requireLocation(value, context);
    requireCluster(value, context);
  });

export type ScaleDownClusterInput = z.output<typeof scaleDownClusterStageSchema>;

export const scaleDownClusterStageType = defineStageType(scaleDownClusterStageSchema);

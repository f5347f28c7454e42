import { z } from 'zod';
import { defaulted, flag, wholeNumber } from '../stage-fields.js';
import { cloudLocationFields, requireCluster, requireLocation, waitAfterDisableField } from './cloud-fields.js';
import { defineStageType } from './stage-type.js';

/** `disableCluster`: disables all but `remainingEnabledServerGroups` enabled groups (the newest, or the largest). */
export const disableClusterStageSchema = z
  .looseObject({
    ...cloudLocationFields,
    remainingEnabledServerGroups: defaulted(wholeNumber(0, 'expected a whole number of server groups, 0 or more'), 1),
    preferLargerOverNewer: defaulted(flag, false),
    waitAfterDisableSec: waitAfterDisableField,
  })
  .superRefine((value, context) => {
    requireLocation(value, context);
    requireCluster(value, context);
  });

export type DisableClusterInput = z.output<typeof disableClusterStageSchema>;

export const disableClusterStageType = defineStageType(disableClusterStageSchema);

import { z } from 'zod';
import { imageSelectionStrategies } from '../../deploy/image-source.js';
import { defaulted, flag, upperCaseEnum } from '../stage-fields.js';
import { cloudLocationFields, requireCluster, requireLocation } from './cloud-fields.js';
import { defineStageType } from './stage-type.js';

/** `findImageFromCluster`: the artifact running in a cluster, per region, as outputs later stages can use. */
export const findImageFromClusterStageSchema = z
  .looseObject({
    ...cloudLocationFields,
    onlyEnabled: defaulted(flag, true),
    selectionStrategy: defaulted(upperCaseEnum(imageSelectionStrategies, 'expected NEWEST, LARGEST, OLDEST or FAIL'), 'NEWEST'),
  })
  .superRefine((value, context) => {
    requireLocation(value, context);
    requireCluster(value, context);
  });

export type FindImageFromClusterInput = z.output<typeof findImageFromClusterStageSchema>;

export const findImageFromClusterStageType = defineStageType(findImageFromClusterStageSchema);

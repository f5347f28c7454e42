import { z } from 'zod';
import { defineStageType } from './stage-type.js';
import { serverGroupSpecFields } from './server-group-spec.js';

/** `createServerGroup`: one new server group in one region, then its strategy's steps. */
export const createServerGroupStageSchema = z
  .looseObject(serverGroupSpecFields)
  .refine((value) => value.account !== undefined || value.credentials !== undefined, { error: 'expected an account (account or credentials)', path: ['account'] })
  .refine((value) => value.region !== undefined || Object.keys(value.availabilityZones ?? {}).length === 1, {
    error: 'expected one region (region, or availabilityZones with one region; deploy takes several)',
    path: ['region'],
  });

export type CreateServerGroupInput = z.output<typeof createServerGroupStageSchema>;

export const createServerGroupStageType = defineStageType(createServerGroupStageSchema);

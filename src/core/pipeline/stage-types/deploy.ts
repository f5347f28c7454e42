import { z } from 'zod';
import { serverGroupSpecSchema } from './server-group-spec.js';
import { defineStageType } from './stage-type.js';

const clusterEntry = serverGroupSpecSchema
  .refine((value) => value.account !== undefined || value.credentials !== undefined, { error: 'expected an account (account or credentials)', path: ['account'] })
  .refine((value) => value.region !== undefined || Object.keys(value.availabilityZones ?? {}).length > 0, {
    error: 'expected a region (region, or availabilityZones {"region": [zones…]})',
    path: ['availabilityZones'],
  });

/** `deploy`: every entry of `clusters[]`, in every one of its regions, deployed in parallel with its own strategy. */
export const deployStageSchema = z.looseObject({
  clusters: z.array(clusterEntry, { error: 'expected a list of clusters to deploy' }).min(1, { error: 'expected at least one cluster' }),
});

export type DeployInput = z.output<typeof deployStageSchema>;

export const deployStageType = defineStageType(deployStageSchema);

import { z } from 'zod';
import { defaulted, flag, optional, trimmedText } from '../stage-fields.js';
import { defineStageType } from './stage-type.js';

/**
 * `rollbackCluster`: per region, the previous server group (or `restoreServerGroupName`) takes all traffic
 * back from the newest (or `rollbackServerGroupName`), which is disabled, or destroyed with `destroyLatest`.
 */
export const rollbackClusterStageSchema = z.looseObject({
  cloudProvider: defaulted(trimmedText('expected a cloud provider name'), 'local'),
  credentials: trimmedText('expected an account name'),
  cluster: trimmedText('expected a cluster name'),
  regions: z.array(trimmedText('expected a region name'), { error: 'expected a list of regions' }).min(1, { error: 'expected at least one region' }),
  rollbackTarget: defaulted(z.enum(['previous'], { error: 'expected "previous"' }), 'previous'),
  rollbackServerGroupName: optional(trimmedText('expected a server group name')),
  restoreServerGroupName: optional(trimmedText('expected a server group name')),
  destroyLatest: defaulted(flag, false),
  /** Set by a failed deploy for its own rollback: act only on a newest group created at or after this time (ms). */
  latestCreatedSince: optional(z.number({ error: 'expected a time in milliseconds' })),
});

export type RollbackClusterInput = z.output<typeof rollbackClusterStageSchema>;

export const rollbackClusterStageType = defineStageType(rollbackClusterStageSchema);

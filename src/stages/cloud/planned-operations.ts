import { z } from 'zod';
import { capacitySchema, type CloudOperation } from '../../core/cloud/index.js';
import type { ClusterChange } from '../../core/deploy/cluster-after.js';

/**
 * What a server-group or cluster stage decided to do, per server group, recorded in the stage context
 * before anything runs: a re-run carries out the same decision instead of resolving targets afresh
 * (after a destroy, `current_asg_dynamic` names another group).
 */
export const plannedOperationSchema = z
  .object({
    account: z.string(),
    region: z.string(),
    serverGroup: z.string(),
    type: z.enum(['enableServerGroup', 'disableServerGroup', 'destroyServerGroup', 'resizeServerGroup']),
    capacity: capacitySchema.optional(),
  })
  .strict();
export type PlannedOperation = z.infer<typeof plannedOperationSchema>;

export const plannedOperationsKey = 'plannedOperations';
export const plannedOperationsSchema = z.array(plannedOperationSchema);

export function cloudOperationOf(planned: PlannedOperation): CloudOperation {
  const where = { account: planned.account, region: planned.region, serverGroup: planned.serverGroup };
  if (planned.type === 'resizeServerGroup') return { type: 'resizeServerGroup', ...where, capacity: planned.capacity ?? { min: 0, max: 0, desired: 0 } };
  return { type: planned.type, ...where };
}

/** The planned operation as traffic guards see it; enabling and growing cannot take traffic away. */
export function clusterChangeOf(planned: PlannedOperation): ClusterChange | undefined {
  switch (planned.type) {
    case 'disableServerGroup':
      return { kind: 'disable', serverGroups: [planned.serverGroup] };
    case 'destroyServerGroup':
      return { kind: 'destroy', serverGroups: [planned.serverGroup] };
    case 'resizeServerGroup':
      return planned.capacity ? { kind: 'resize', serverGroup: planned.serverGroup, capacity: planned.capacity } : undefined;
    case 'enableServerGroup':
      return undefined;
  }
}

/** The client token of one planned operation: stable for the task run, distinct per group and kind. */
export function clientTokenOf(idempotencyKey: string, planned: PlannedOperation): string {
  return `${idempotencyKey}/${planned.account}/${planned.region}/${planned.serverGroup}/${planned.type}`;
}

import { z } from 'zod';
import type { ServerGroup } from '../cloud/model.js';
import { parseMoniker } from '../cloud/moniker.js';
import { upInstanceCount } from './cluster-view.js';

/**
 * Stored on an application as `trafficGuards[]` (Front50's shape): protects matching clusters from losing
 * all their Up instances. `location` is a region, `*` or absent for all; stack and detail match exactly.
 */
export const trafficGuardSchema = z
  .object({
    account: z.string({ error: 'expected an account name' }).min(1, { error: 'expected an account name' }),
    location: z.string().optional(),
    stack: z.string().optional(),
    detail: z.string().optional(),
    enabled: z.boolean({ error: 'expected true or false' }).default(true),
  })
  .strict();
export type TrafficGuard = z.output<typeof trafficGuardSchema>;

/** The guards of an application from its attributes; attributes without any mean no guards. */
export const applicationTrafficGuardsSchema = z.looseObject({
  trafficGuards: z.array(trafficGuardSchema, { error: 'expected a list of traffic guards' }).default([]),
});

export function guardsCluster(guard: TrafficGuard, account: string, region: string, cluster: string): boolean {
  if (!guard.enabled || guard.account !== account) return false;
  if (guard.location !== undefined && guard.location !== '*' && guard.location !== region) return false;
  const moniker = parseMoniker(cluster);
  if (!moniker) return false;
  return (guard.stack ?? '') === (moniker.stack ?? '') && (guard.detail ?? '') === (moniker.detail ?? '');
}

export type GuardVerdict = { readonly allowed: true } | { readonly allowed: false; readonly reason: string };

/**
 * Whether an operation may leave a cluster as `after` describes (the cluster's groups in one region with
 * the operation applied). Refused when a guard covers the cluster, it has Up instances in enabled groups
 * now, and would have none afterwards. A cluster already down is not protected (nothing to lose).
 */
export function trafficGuardVerdict(
  guards: readonly TrafficGuard[],
  where: { readonly account: string; readonly region: string; readonly cluster: string },
  before: readonly ServerGroup[],
  after: readonly ServerGroup[],
  operation: string,
): GuardVerdict {
  const guard = guards.find((candidate) => guardsCluster(candidate, where.account, where.region, where.cluster));
  if (!guard) return { allowed: true };
  const serving = (groups: readonly ServerGroup[]): number =>
    groups.filter((group) => group.enabled).reduce((sum, group) => sum + upInstanceCount(group), 0);
  if (serving(before) === 0 || serving(after) > 0) return { allowed: true };
  return {
    allowed: false,
    reason: `${operation} refused: cluster ${where.cluster} in ${where.account}/${where.region} has traffic guards and would be left with no Up instances in an enabled server group`,
  };
}

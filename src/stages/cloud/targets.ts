import type { ServerGroup } from '../../core/cloud/index.js';
import { resolveTarget, type DynamicTarget } from '../../core/deploy/targets.js';
import type { CloudServices } from '../../engine/cloud-services.js';

export type GroupLookup = { readonly kind: 'found'; readonly serverGroup: ServerGroup } | { readonly kind: 'missing'; readonly reason: string };

/** The group a single-group stage acts on in one region: named outright, or the cluster's dynamic target now. */
export function findServerGroup(
  cloud: CloudServices,
  where: { readonly account: string; readonly region: string },
  by: { readonly serverGroupName?: string | undefined; readonly cluster?: string | undefined; readonly target?: DynamicTarget | undefined },
): GroupLookup {
  if (by.serverGroupName !== undefined) {
    const group = cloud.serverGroup(where.account, where.region, by.serverGroupName);
    return group
      ? { kind: 'found', serverGroup: group }
      : { kind: 'missing', reason: `server group ${by.serverGroupName} does not exist in ${where.account}/${where.region}` };
  }
  const cluster = by.cluster ?? '';
  return resolveTarget(cloud.cluster(where.account, where.region, cluster), by.target ?? 'current_asg_dynamic', cluster, `${where.account}/${where.region}`);
}

/** The account must be one the installation serves; its provider's capabilities come with it. */
export function knownAccount(cloud: CloudServices, account: string): string | undefined {
  if (cloud.accounts().some((candidate) => candidate.name === account)) return undefined;
  const known = cloud.accounts().map((candidate) => candidate.name).sort().join(', ') || '(none)';
  return `credentials: no account '${account}' is configured (accounts: ${known})`;
}

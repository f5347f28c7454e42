import { jsonEqual } from './json-equal.js';
import type { RegionSnapshot } from './model.js';
import { changedResource, type ResourceChange } from './resource-changes.js';

/**
 * The changes that turn what the inventory knows about a region into what the provider just described:
 * upserts for new or different resources, removals for vanished ones. Resources named in `skip`
 * (`changedResource` keys) are left alone: a change event about them arrived while the description was
 * in flight and is newer than the snapshot.
 */
export function diffRegion(known: RegionSnapshot, actual: RegionSnapshot, skip: ReadonlySet<string> = new Set()): ResourceChange[] {
  const where = { account: actual.account, region: actual.region };
  const changes: ResourceChange[] = [];
  const knownGroups = new Map(known.serverGroups.map((group) => [group.name, group]));
  const actualGroups = new Set(actual.serverGroups.map((group) => group.name));
  for (const group of actual.serverGroups) {
    if (!jsonEqual(knownGroups.get(group.name), group)) changes.push({ kind: 'serverGroupUpserted', serverGroup: group });
  }
  for (const group of known.serverGroups) {
    if (!actualGroups.has(group.name)) changes.push({ kind: 'serverGroupRemoved', ...where, name: group.name });
  }
  const knownBalancers = new Map(known.loadBalancers.map((balancer) => [balancer.name, balancer]));
  const actualBalancers = new Set(actual.loadBalancers.map((balancer) => balancer.name));
  for (const balancer of actual.loadBalancers) {
    if (!jsonEqual(knownBalancers.get(balancer.name), balancer)) changes.push({ kind: 'loadBalancerUpserted', loadBalancer: balancer });
  }
  for (const balancer of known.loadBalancers) {
    if (!actualBalancers.has(balancer.name)) changes.push({ kind: 'loadBalancerRemoved', ...where, name: balancer.name });
  }
  return changes.filter((change) => !skip.has(changedResource(change)));
}

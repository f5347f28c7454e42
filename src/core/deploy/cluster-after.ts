import type { Capacity, Instance, ServerGroup } from '../cloud/model.js';

/** An operation's effect on a cluster, as far as traffic guards care: which groups serve and how many Up. */
export type ClusterChange =
  | { readonly kind: 'disable'; readonly serverGroups: readonly string[] }
  | { readonly kind: 'destroy'; readonly serverGroups: readonly string[] }
  | { readonly kind: 'resize'; readonly serverGroup: string; readonly capacity: Capacity }
  | { readonly kind: 'terminate'; readonly instanceIds: readonly string[] };

/** Keeps the Up instances first, so a shrink is assumed to keep as many Up instances as it can. */
function keepInstances(instances: readonly Instance[], count: number): Instance[] {
  const upFirst = [...instances].sort((a, b) => Number(b.health === 'Up') - Number(a.health === 'Up'));
  return upFirst.slice(0, count);
}

/** The cluster's groups as they will be once `change` is applied (new instances a grow starts are not Up yet). */
export function clusterAfter(groups: readonly ServerGroup[], change: ClusterChange): ServerGroup[] {
  switch (change.kind) {
    case 'disable':
      return groups.map((group) => (change.serverGroups.includes(group.name) ? { ...group, enabled: false } : group));
    case 'destroy':
      return groups.filter((group) => !change.serverGroups.includes(group.name));
    case 'resize':
      return groups.map((group) =>
        group.name === change.serverGroup ? { ...group, capacity: change.capacity, instances: keepInstances(group.instances, change.capacity.desired) } : group,
      );
    case 'terminate':
      return groups.map((group) => ({ ...group, instances: group.instances.filter((instance) => !change.instanceIds.includes(instance.id)) }));
  }
}

import type { ServerGroup } from '../cloud/model.js';

/** Server groups of one cluster in one region, newest first (by creation time, then name for ties). */
export function newestFirst(groups: readonly ServerGroup[]): ServerGroup[] {
  return [...groups].sort((a, b) => b.createdAt - a.createdAt || b.name.localeCompare(a.name));
}

/** Largest first (desired capacity), newest first among equals. */
export function largestFirst(groups: readonly ServerGroup[]): ServerGroup[] {
  return newestFirst(groups).sort((a, b) => b.capacity.desired - a.capacity.desired);
}

export function upInstanceCount(group: ServerGroup): number {
  return group.instances.filter((instance) => instance.health === 'Up').length;
}

/** A group taking traffic: enabled with at least one Up instance (Spinnaker's "active"). */
export function isActive(group: ServerGroup): boolean {
  return group.enabled && upInstanceCount(group) > 0;
}

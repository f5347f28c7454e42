import type { ServerGroup } from '../cloud/model.js';

/**
 * Instances that would serve: Up, or — in a disabled group, whose instances are OutOfService by
 * definition — healthy but out of rotation.
 */
export function readyInstanceCount(group: ServerGroup): number {
  const ready = group.enabled ? ['Up'] : ['Up', 'OutOfService'];
  return group.instances.filter((instance) => ready.includes(instance.health)).length;
}

/** A group has settled at `desired`: that many instances ready and no more instances than that. */
export function settledAt(group: ServerGroup, desired: number): boolean {
  return readyInstanceCount(group) >= desired && group.instances.length <= desired;
}

/** Why a group did not settle, naming each instance that is not Up and its reason. */
export function notSettledReason(group: ServerGroup | undefined, name: string, desired: number, waitedSec: number): string {
  if (!group) return `server group ${name} disappeared while waiting for ${desired} instances Up`;
  const lagging = group.instances
    .filter((instance) => instance.health !== 'Up' && instance.health !== 'OutOfService')
    .map((instance) => `${instance.id} ${instance.health}${instance.reason ? `: ${instance.reason}` : ''}`);
  const head = `server group ${name}: ${readyInstanceCount(group)} of ${desired} instances Up after ${waitedSec} s`;
  return lagging.length === 0 ? `${head} (${group.instances.length} instances)` : `${head}; ${lagging.join('; ')}`;
}

import type { Instance, ServerGroup } from '../cloud/model.js';
import { upInstanceCount } from './cluster-view.js';

/**
 * Whether a new server group is ready: as many Up instances as it wants. A crash loop ends the wait early:
 * once this many distinct instances of the group have exited on their own, waiting longer only shows more
 * of the same (health-check failures, by contrast, may pass later and wait for the timeout).
 */
export const crashLoopInstances = 3;

export type UpVerdict =
  | { readonly kind: 'up' }
  | { readonly kind: 'waiting'; readonly crashed: readonly string[] }
  | { readonly kind: 'failed'; readonly reason: string };

/** Down for a reason of the process itself (exited, could not start, killed), not a failing health check. */
export function hasCrashed(instance: Instance): boolean {
  return instance.health === 'Down' && instance.reason !== undefined && instance.reason !== 'failing health checks';
}

/** "0 of 3 instances Up; i-000012 Down: exited with code 1; i-000013 Down: failing health checks (/health)" */
export function healthSummary(group: ServerGroup): string {
  const states = group.instances
    .filter((instance) => instance.health !== 'Up')
    .map((instance) => `${instance.id} ${instance.health}${instance.reason ? `: ${instance.reason}` : ''}${instance.reason === 'failing health checks' ? ` (${group.launch.healthCheck.path})` : ''}`);
  return [`${upInstanceCount(group)} of ${group.capacity.desired} instances Up`, ...states].join('; ');
}

/** `crashedBefore`: ids of instances seen crashed in earlier looks at the group. */
export function upVerdict(group: ServerGroup | undefined, name: string, crashedBefore: readonly string[]): UpVerdict {
  if (!group) return { kind: 'failed', reason: `server group ${name} is gone` };
  if (upInstanceCount(group) >= group.capacity.desired) return { kind: 'up' };
  const crashed = [...new Set([...crashedBefore, ...group.instances.filter(hasCrashed).map((instance) => instance.id)])];
  if (crashed.length >= crashLoopInstances) {
    return { kind: 'failed', reason: `server group ${name} is crash-looping (${crashed.length} instances exited): ${healthSummary(group)}` };
  }
  return { kind: 'waiting', crashed };
}

/** The failure when the wait runs out. */
export function upTimeoutReason(group: ServerGroup | undefined, name: string, timeoutSec: number): string {
  if (!group) return `server group ${name} is gone`;
  return `server group ${name}: ${healthSummary(group)} after ${timeoutSec} s`;
}

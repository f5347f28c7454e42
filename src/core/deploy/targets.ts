import type { ServerGroup } from '../cloud/model.js';
import { newestFirst } from './cluster-view.js';

/**
 * How a server-group stage names its target when it cannot know the name when the pipeline is written
 * (Spinnaker's TargetServerGroup): the newest, the one before it, the oldest — resolved when the stage runs.
 * The old names `current_asg`, `ancestor_asg`, `oldest_asg` mean the same.
 */
export const dynamicTargets = ['current_asg_dynamic', 'ancestor_asg_dynamic', 'oldest_asg_dynamic'] as const;
export type DynamicTarget = (typeof dynamicTargets)[number];

const legacyTargets: Readonly<Record<string, DynamicTarget>> = {
  current_asg: 'current_asg_dynamic',
  ancestor_asg: 'ancestor_asg_dynamic',
  oldest_asg: 'oldest_asg_dynamic',
};

export function normaliseTarget(target: string): DynamicTarget | undefined {
  if ((dynamicTargets as readonly string[]).includes(target)) return target as DynamicTarget;
  return legacyTargets[target];
}

export type TargetResolution =
  | { readonly kind: 'found'; readonly serverGroup: ServerGroup }
  | { readonly kind: 'missing'; readonly reason: string };

/** Picks the target among the server groups of one cluster in one region. */
export function resolveTarget(groups: readonly ServerGroup[], target: DynamicTarget, cluster: string, region: string): TargetResolution {
  const ordered = newestFirst(groups);
  const where = `cluster ${cluster} in ${region}`;
  switch (target) {
    case 'current_asg_dynamic':
      return ordered[0] ? { kind: 'found', serverGroup: ordered[0] } : { kind: 'missing', reason: `${where} has no server groups` };
    case 'ancestor_asg_dynamic':
      return ordered[1]
        ? { kind: 'found', serverGroup: ordered[1] }
        : { kind: 'missing', reason: `${where} has no server group older than its newest (${ordered[0]?.name ?? 'none'})` };
    case 'oldest_asg_dynamic': {
      const oldest = ordered[ordered.length - 1];
      return oldest ? { kind: 'found', serverGroup: oldest } : { kind: 'missing', reason: `${where} has no server groups` };
    }
  }
}

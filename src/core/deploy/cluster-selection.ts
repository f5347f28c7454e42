import type { ServerGroup } from '../cloud/model.js';
import { isActive, largestFirst, newestFirst } from './cluster-view.js';

/**
 * Which server groups the cluster-wide stages act on. Each keeps the N "best" groups — the newest,
 * or the largest when asked — and acts on the rest; Spinnaker's defaults are noted per field.
 */

export interface DisableClusterOptions {
  /** Enabled groups left enabled (1). */
  readonly remainingEnabledServerGroups: number;
  readonly preferLargerOverNewer: boolean;
}

export function serverGroupsToDisable(groups: readonly ServerGroup[], options: DisableClusterOptions): ServerGroup[] {
  const enabled = groups.filter((group) => group.enabled);
  const ordered = options.preferLargerOverNewer ? largestFirst(enabled) : newestFirst(enabled);
  return ordered.slice(options.remainingEnabledServerGroups);
}

export interface ScaleDownClusterOptions {
  /** Groups left at their size (1). */
  readonly remainingFullSizeServerGroups: number;
  readonly preferLargerOverNewer: boolean;
  /** Scale down groups still taking traffic too (false). */
  readonly allowScaleDownActive: boolean;
}

export function serverGroupsToScaleDown(groups: readonly ServerGroup[], options: ScaleDownClusterOptions): ServerGroup[] {
  const ordered = options.preferLargerOverNewer ? largestFirst(groups) : newestFirst(groups);
  return ordered
    .slice(options.remainingFullSizeServerGroups)
    .filter((group) => group.capacity.desired > 0 || group.capacity.min > 0)
    .filter((group) => options.allowScaleDownActive || !isActive(group));
}

export interface ShrinkClusterOptions {
  /** Groups kept (1). */
  readonly shrinkToSize: number;
  /** Destroy groups still taking traffic too (false); they are disabled first. */
  readonly allowDeleteActive: boolean;
  readonly retainLargerOverNewer: boolean;
}

export function serverGroupsToDestroy(groups: readonly ServerGroup[], options: ShrinkClusterOptions): ServerGroup[] {
  const ordered = options.retainLargerOverNewer ? largestFirst(groups) : newestFirst(groups);
  return ordered.slice(options.shrinkToSize).filter((group) => options.allowDeleteActive || !isActive(group));
}

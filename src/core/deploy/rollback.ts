import type { ServerGroup } from '../cloud/model.js';
import { newestFirst } from './cluster-view.js';

export interface RollbackRequest {
  /** The group to take out of service; the cluster's newest when absent. */
  readonly rollbackServerGroupName?: string;
  /** The group to give all traffic back to; the newest older than the rolled-back one when absent. */
  readonly restoreServerGroupName?: string;
  /** A failed deploy's own rollback: only a newest group created at or after this time is its to remove. */
  readonly latestCreatedSince?: number;
}

export type RollbackChoice =
  | { readonly kind: 'rollback'; readonly latest: string; readonly restore?: string }
  | { readonly kind: 'nothing'; readonly reason: string }
  | { readonly kind: 'refused'; readonly reason: string };

/**
 * Which group of one cluster in one region a rollback takes out of service and which one it restores
 * (Spinnaker's explicit rollback: enable the previous group first, then disable the current one). With
 * no older group there is nothing to restore; the latest is still taken out.
 */
export function rollbackChoice(groups: readonly ServerGroup[], request: RollbackRequest, where: string): RollbackChoice {
  const ordered = newestFirst(groups);
  const latest = request.rollbackServerGroupName === undefined ? ordered[0] : ordered.find((group) => group.name === request.rollbackServerGroupName);
  if (!latest) {
    return request.rollbackServerGroupName === undefined
      ? { kind: 'nothing', reason: `${where} has no server groups` }
      : { kind: 'refused', reason: `${where} has no server group ${request.rollbackServerGroupName}` };
  }
  if (request.latestCreatedSince !== undefined && latest.createdAt < request.latestCreatedSince) {
    return { kind: 'nothing', reason: `${where}: the deploy created no server group (newest is ${latest.name}, older than the deploy)` };
  }
  const older = ordered.filter((group) => group.name !== latest.name && group.createdAt <= latest.createdAt);
  if (request.restoreServerGroupName !== undefined) {
    const named = ordered.find((group) => group.name === request.restoreServerGroupName);
    if (!named || named.name === latest.name) return { kind: 'refused', reason: `${where} has no server group ${request.restoreServerGroupName} to restore besides ${latest.name}` };
    return { kind: 'rollback', latest: latest.name, restore: named.name };
  }
  const restore = older[0];
  return restore ? { kind: 'rollback', latest: latest.name, restore: restore.name } : { kind: 'rollback', latest: latest.name };
}

import type { ServerGroup } from './model.js';

export interface ClusterView {
  readonly account: string;
  /** The moniker cluster name: the server group name without its push. */
  readonly name: string;
  /** Oldest first (by creation, then name), so the last one is the latest push. */
  readonly serverGroups: readonly ServerGroup[];
}

export interface ApplicationView {
  readonly name: string;
  /** By account, then cluster name. */
  readonly clusters: readonly ClusterView[];
}

/**
 * Spinnaker's application view: an application's clusters, each all server groups sharing a moniker
 * cluster name in one account, across regions. Applications come back sorted by name.
 */
export function groupByApplication(serverGroups: readonly ServerGroup[]): ApplicationView[] {
  const byApplication = new Map<string, Map<string, ServerGroup[]>>();
  for (const group of serverGroups) {
    const clusters = byApplication.get(group.application) ?? new Map<string, ServerGroup[]>();
    byApplication.set(group.application, clusters);
    const key = `${group.account}\u0000${group.cluster}`;
    clusters.set(key, [...(clusters.get(key) ?? []), group]);
  }
  return [...byApplication.entries()]
    .sort(([a], [b]) => compareText(a, b))
    .map(([name, clusters]) => ({
      name,
      clusters: [...clusters.values()]
        .map((groups) => ({
          account: groups[0]!.account,
          name: groups[0]!.cluster,
          serverGroups: [...groups].sort((a, b) => a.createdAt - b.createdAt || compareText(a.name, b.name) || compareText(a.region, b.region)),
        }))
        .sort((a, b) => compareText(a.account, b.account) || compareText(a.name, b.name)),
    }));
}

function compareText(a: string, b: string): number {
  if (a === b) return 0;
  return a < b ? -1 : 1;
}

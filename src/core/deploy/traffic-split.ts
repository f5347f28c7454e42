import type { ServerGroup } from '../cloud/model.js';
import { newestFirst } from './cluster-view.js';

export type TrafficSplit =
  | { readonly kind: 'weights'; readonly weights: Readonly<Record<string, number>> | null }
  | { readonly kind: 'refused'; readonly reason: string };

/**
 * Weights for one load balancer: the cluster's newest group gets `percent`, the cluster's other enabled
 * groups on the balancer share the rest evenly (the first ones get the remainder). Weights name only this
 * cluster's groups, so a balancer that other clusters' groups also serve is refused: they would get none.
 */
export function clusterTrafficSplit(
  cluster: readonly ServerGroup[],
  attached: readonly ServerGroup[],
  loadBalancer: string,
  percent: number | null,
): TrafficSplit {
  const clusterNames = new Set(cluster.map((group) => group.name));
  const strangers = attached.filter((group) => !clusterNames.has(group.name) && group.enabled);
  if (strangers.length > 0) {
    return {
      kind: 'refused',
      reason: `load balancer ${loadBalancer} also serves ${strangers.map((group) => group.name).join(', ')} from other clusters, which weights for this cluster would starve`,
    };
  }
  if (percent === null) return { kind: 'weights', weights: null };
  const [newest, ...older] = newestFirst(cluster.filter((group) => group.loadBalancers.includes(loadBalancer)));
  if (!newest) return { kind: 'refused', reason: `no server group of the cluster is attached to load balancer ${loadBalancer}` };
  const others = newestFirst(older.filter((group) => group.enabled));
  const rest = 100 - percent;
  const weights: Record<string, number> = { [newest.name]: others.length === 0 ? 100 : percent };
  others.forEach((group, index) => {
    weights[group.name] = Math.floor(rest / others.length) + (index < rest % others.length ? 1 : 0);
  });
  return { kind: 'weights', weights };
}

/** Whether a balancer's weights are those asked for (absent and null both mean equal shares). */
export function weightsInEffect(actual: Readonly<Record<string, number>> | undefined, wanted: Readonly<Record<string, number>> | null): boolean {
  if (wanted === null) return actual === undefined;
  if (actual === undefined) return false;
  const names = new Set([...Object.keys(actual), ...Object.keys(wanted)]);
  return [...names].every((name) => (actual[name] ?? 0) === (wanted[name] ?? 0));
}

import {
  groupByApplication,
  jsonEqual,
  resourceKey,
  type ApplicationView,
  type LoadBalancer,
  type RegionSnapshot,
  type ResourceChange,
  type ServerGroup,
} from '../core/cloud/index.js';

/** What runs where, in memory: every resource by account, region and name. */
export class InventoryIndex {
  private readonly serverGroupsByKey = new Map<string, ServerGroup>();
  private readonly loadBalancersByKey = new Map<string, LoadBalancer>();

  /** Applies one change; `false` when it changed nothing (the same state again, or removing what is gone). */
  apply(change: ResourceChange): boolean {
    switch (change.kind) {
      case 'serverGroupUpserted':
        return upsert(this.serverGroupsByKey, change.serverGroup);
      case 'loadBalancerUpserted':
        return upsert(this.loadBalancersByKey, change.loadBalancer);
      case 'serverGroupRemoved':
        return this.serverGroupsByKey.delete(resourceKey(change.account, change.region, change.name));
      case 'loadBalancerRemoved':
        return this.loadBalancersByKey.delete(resourceKey(change.account, change.region, change.name));
    }
  }

  region(account: string, region: string): RegionSnapshot {
    const inRegion = <T extends { account: string; region: string }>(resource: T): boolean =>
      resource.account === account && resource.region === region;
    return {
      account,
      region,
      serverGroups: this.serverGroups().filter(inRegion),
      loadBalancers: this.loadBalancers().filter(inRegion),
    };
  }

  serverGroup(account: string, region: string, name: string): ServerGroup | undefined {
    return this.serverGroupsByKey.get(resourceKey(account, region, name));
  }

  loadBalancer(account: string, region: string, name: string): LoadBalancer | undefined {
    return this.loadBalancersByKey.get(resourceKey(account, region, name));
  }

  /** Every server group, by account, region and name. */
  serverGroups(): ServerGroup[] {
    return sortedValues(this.serverGroupsByKey);
  }

  loadBalancers(): LoadBalancer[] {
    return sortedValues(this.loadBalancersByKey);
  }

  /** Applications → clusters → server groups, across accounts and regions. */
  applications(): ApplicationView[] {
    return groupByApplication(this.serverGroups());
  }
}

function upsert<T extends { account: string; region: string; name: string }>(map: Map<string, T>, resource: T): boolean {
  const key = resourceKey(resource.account, resource.region, resource.name);
  if (jsonEqual(map.get(key), resource)) return false;
  map.set(key, resource);
  return true;
}

function sortedValues<T>(map: Map<string, T>): T[] {
  return [...map.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, value]) => value);
}

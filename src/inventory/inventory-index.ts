import {
  groupByApplication,
  jsonEqual,
  loadBalancerApplication,
  resourceKey,
  type ApplicationView,
  type LoadBalancer,
  type RegionSnapshot,
  type ResourceChange,
  type ServerGroup,
} from '../core/cloud/index.js';

/**
 * Resources of one kind by account, region and name, also grouped by application so the API reads one
 * application's without scanning all; the sorted list is kept until the next change.
 */
class ResourceTable<T extends { account: string; region: string; name: string }> {
  private readonly byKey = new Map<string, T>();
  private readonly byApplication = new Map<string, Map<string, T>>();
  private sorted: T[] | undefined;

  constructor(private readonly applicationOf: (resource: T) => string) {}

  get(account: string, region: string, name: string): T | undefined {
    return this.byKey.get(resourceKey(account, region, name));
  }

  upsert(resource: T): boolean {
    const key = resourceKey(resource.account, resource.region, resource.name);
    const previous = this.byKey.get(key);
    if (jsonEqual(previous, resource)) return false;
    if (previous) this.byApplication.get(this.applicationOf(previous))?.delete(key);
    this.byKey.set(key, resource);
    const application = this.applicationOf(resource);
    const group = this.byApplication.get(application) ?? new Map<string, T>();
    this.byApplication.set(application, group.set(key, resource));
    this.sorted = undefined;
    return true;
  }

  remove(account: string, region: string, name: string): boolean {
    const key = resourceKey(account, region, name);
    const previous = this.byKey.get(key);
    if (!previous) return false;
    this.byKey.delete(key);
    const application = this.applicationOf(previous);
    const group = this.byApplication.get(application);
    group?.delete(key);
    if (group?.size === 0) this.byApplication.delete(application);
    this.sorted = undefined;
    return true;
  }

  all(): T[] {
    this.sorted ??= sortedValues(this.byKey);
    return [...this.sorted];
  }

  ofApplication(application: string): T[] {
    const group = this.byApplication.get(application);
    return group ? sortedValues(group) : [];
  }
}

/** What runs where, in memory: every resource by account, region and name. */
export class InventoryIndex {
  private readonly serverGroupTable = new ResourceTable<ServerGroup>((group) => group.application);
  private readonly loadBalancerTable = new ResourceTable<LoadBalancer>((balancer) => loadBalancerApplication(balancer.name));

  /** Applies one change; `false` when it changed nothing (the same state again, or removing what is gone). */
  apply(change: ResourceChange): boolean {
    switch (change.kind) {
      case 'serverGroupUpserted':
        return this.serverGroupTable.upsert(change.serverGroup);
      case 'loadBalancerUpserted':
        return this.loadBalancerTable.upsert(change.loadBalancer);
      case 'serverGroupRemoved':
        return this.serverGroupTable.remove(change.account, change.region, change.name);
      case 'loadBalancerRemoved':
        return this.loadBalancerTable.remove(change.account, change.region, change.name);
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
    return this.serverGroupTable.get(account, region, name);
  }

  loadBalancer(account: string, region: string, name: string): LoadBalancer | undefined {
    return this.loadBalancerTable.get(account, region, name);
  }

  /** Every server group, by account, region and name. */
  serverGroups(): ServerGroup[] {
    return this.serverGroupTable.all();
  }

  loadBalancers(): LoadBalancer[] {
    return this.loadBalancerTable.all();
  }

  /** One application's server groups, by account, region and name. */
  serverGroupsOf(application: string): ServerGroup[] {
    return this.serverGroupTable.ofApplication(application);
  }

  /** The load balancers whose names start with the application's name. */
  loadBalancersOf(application: string): LoadBalancer[] {
    return this.loadBalancerTable.ofApplication(application);
  }

  /** Applications → clusters → server groups, across accounts and regions. */
  applications(): ApplicationView[] {
    return groupByApplication(this.serverGroups());
  }
}

function sortedValues<T>(map: Map<string, T>): T[] {
  return [...map.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, value]) => value);
}

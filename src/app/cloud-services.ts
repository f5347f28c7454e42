import type { ResourceChange } from '../core/cloud/index.js';
import { applicationTrafficGuardsSchema } from '../core/deploy/traffic-guards.js';
import { GennakerError } from '../core/errors.js';
import type { CloudAccount, CloudServices } from '../engine/cloud-services.js';
import type { Inventory } from '../inventory/inventory.js';
import type { ProviderRegistry } from '../providers/registry.js';
import type { Store } from '../store/store.js';

function regionOf(change: ResourceChange): { account: string; region: string } {
  switch (change.kind) {
    case 'serverGroupUpserted':
      return change.serverGroup;
    case 'loadBalancerUpserted':
      return change.loadBalancer;
    case 'serverGroupRemoved':
    case 'loadBalancerRemoved':
      return change;
  }
}

/** The cloud as stages see it: the inventory for reads, writes and waiting, the store for guards and quarantine. */
export function cloudServices(inventory: Inventory, providers: ProviderRegistry, store: Store): CloudServices {
  const accounts: CloudAccount[] = providers.registrations.flatMap((registration) =>
    registration.accounts.map((account) => ({ ...account, weightedTraffic: registration.provider.capabilities.weightedTraffic })),
  );
  return {
    accounts: () => accounts,
    cluster: (account, region, cluster) => inventory.region(account, region).serverGroups.filter((group) => group.cluster === cluster),
    serverGroup: (account, region, name) => inventory.serverGroup(account, region, name),
    loadBalancer: (account, region, name) => inventory.loadBalancer(account, region, name),
    execute: (clientToken, operation) => inventory.execute(clientToken, operation),
    waitFor: (account, region, check, { timeoutMs, signal }) =>
      new Promise((resolve, reject) => {
        const cleanUp = (): void => {
          clearTimeout(timer);
          signal.removeEventListener('abort', onAbort);
          inventory.events.off('change', onChange);
        };
        const finish = (value: ReturnType<typeof check>): void => {
          cleanUp();
          resolve(value);
        };
        const evaluate = (): void => {
          try {
            const value = check(inventory.region(account, region));
            if (value !== undefined) finish(value);
          } catch (error) {
            cleanUp();
            reject(error);
          }
        };
        const onChange = (change: ResourceChange): void => {
          const where = regionOf(change);
          if (where.account === account && where.region === region) evaluate();
        };
        const onAbort = (): void => finish(undefined);
        const timer = setTimeout(() => finish(undefined), timeoutMs);
        signal.addEventListener('abort', onAbort);
        inventory.events.on('change', onChange);
        if (signal.aborted) finish(undefined);
        else evaluate();
      }),
    trafficGuards: async (application) => {
      const found = await store.applications.get(application);
      if (!found) return [];
      const parsed = applicationTrafficGuardsSchema.safeParse(found.attributes);
      if (!parsed.success) {
        throw new GennakerError('GNK_E_VALIDATION', `application ${application} has traffic guards that cannot be read: ${parsed.error.issues[0]?.message ?? 'invalid'}`, [
          { path: `trafficGuards.${parsed.error.issues[0]?.path.join('.') ?? ''}` },
        ]);
      }
      return parsed.data.trafficGuards;
    },
    quarantined: (application, artifact, version) => store.quarantine.find(application, artifact, version),
  };
}

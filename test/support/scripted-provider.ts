import type { CloudChange, OperationStatus, RegionSnapshot, ServerGroup } from '../../src/core/cloud/index.js';
import type { CloudProvider } from '../../src/providers/provider.js';
import { ProviderRegistry } from '../../src/providers/registry.js';

/** A provider whose describe, operation answers and change stream the test dictates, for account `local` in `us-east`. */
export interface ScriptedProvider {
  readonly registry: ProviderRegistry;
  /** Delivers a change on the stream now. */
  emit(change: CloudChange): void;
}

export function scriptedProvider(serverGroups: readonly ServerGroup[], answer: (clientToken: string) => OperationStatus): ScriptedProvider {
  let listener: (change: CloudChange) => void = () => undefined;
  const accounts = [{ name: 'local', provider: 'scripted', regions: ['us-east'] }];
  const provider: CloudProvider = {
    kind: 'scripted',
    capabilities: { weightedTraffic: false },
    accounts: () => Promise.resolve(accounts),
    apply: (clientToken) => Promise.resolve(answer(clientToken)),
    operationStatus: () => Promise.resolve(undefined),
    describe: (account, region): Promise<RegionSnapshot> => Promise.resolve({ account, region, serverGroups: [...serverGroups], loadBalancers: [] }),
    watch: (onChange) => {
      listener = onChange;
      return () => undefined;
    },
    close: () => Promise.resolve(),
  };
  return { registry: new ProviderRegistry([{ name: 'scripted', provider, accounts }]), emit: (change) => listener(change) };
}

import { defaultAuthSettings } from '../../src/api/auth/settings.js';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openAccessControl, type AccessControl } from '../../src/api/access.js';
import { buildApi } from '../../src/api/server.js';
import type { AccountAction, ApplicationAction, Principal } from '../../src/core/auth/model.js';
import type { Account, LoadBalancer, RegionSnapshot, ServerGroup } from '../../src/core/cloud/index.js';
import { GennakerError } from '../../src/core/errors.js';
import { Engine } from '../../src/engine/engine.js';
import { Inventory } from '../../src/inventory/inventory.js';
import { createLogger } from '../../src/log/logger.js';
import type { CloudProvider } from '../../src/providers/provider.js';
import { ProviderRegistry } from '../../src/providers/registry.js';
import { builtInStages } from '../../src/stages/index.js';
import { openStore } from '../../src/store/open.js';
import type { Store } from '../../src/store/store.js';
import { apiRequest, type ApiRequestOptions, type ApiResponse } from './api-server.js';

/**
 * The API over real SQLite and a real engine, with what startApiServer cannot choose: a fixed inventory
 * (a provider that describes given resources and never changes) and an access control of the test's own.
 */
export interface ApiHarness {
  readonly url: string;
  readonly store: Store;
  readonly engine: Engine;
  readonly inventory: Inventory;
  request(method: string, path: string, options?: ApiRequestOptions): Promise<ApiResponse>;
  stop(): Promise<void>;
}

export interface HarnessOptions {
  readonly access?: AccessControl;
  readonly accounts?: readonly Account[];
  readonly serverGroups?: readonly ServerGroup[];
  readonly loadBalancers?: readonly LoadBalancer[];
}

function fixedProvider(serverGroups: readonly ServerGroup[], loadBalancers: readonly LoadBalancer[], accounts: readonly Account[]): CloudProvider {
  const inRegion = (account: string, region: string) => (resource: { account: string; region: string }) => resource.account === account && resource.region === region;
  return {
    kind: 'fixed',
    capabilities: { weightedTraffic: false },
    accounts: () => Promise.resolve(accounts),
    apply: () => Promise.reject(new GennakerError('GNK_E_PROVIDER_UNAVAILABLE', 'the test provider changes nothing')),
    operationStatus: () => Promise.resolve(undefined),
    describe: (account, region): Promise<RegionSnapshot> =>
      Promise.resolve({ account, region, serverGroups: serverGroups.filter(inRegion(account, region)), loadBalancers: loadBalancers.filter(inRegion(account, region)) }),
    watch: () => () => undefined,
    close: () => Promise.resolve(),
  };
}

export const defaultAccounts: readonly Account[] = [
  { name: 'local', provider: 'fixed', regions: ['us-east', 'eu-west'] },
  { name: 'prod', provider: 'fixed', regions: ['us-east'] },
];

export async function startApiHarness(options: HarnessOptions = {}): Promise<ApiHarness> {
  const dataDir = await mkdtemp(join(tmpdir(), 'gennaker-api-harness-'));
  const logger = createLogger('silent');
  const store = await openStore({ dataDir });
  const accounts = options.accounts ?? defaultAccounts;
  const providers = new ProviderRegistry([{ name: 'fixed', provider: fixedProvider(options.serverGroups ?? [], options.loadBalancers ?? [], accounts), accounts }]);
  const inventory = new Inventory({ store, registry: providers, logger, reconcileIntervalMs: 600_000 });
  await inventory.start();
  await inventory.reconciled();
  const engine = new Engine({ store, stages: builtInStages(), logger, dataDir, nodeId: 'api-harness' });
  await engine.start();
  const api = await buildApi({
    store,
    version: 'test',
    logger,
    inventory,
    engine,
    providers,
    access: options.access ?? openAccessControl,
    audit: { record: () => Promise.resolve() },
    auth: defaultAuthSettings,
  });
  const url = await api.listen({ host: '127.0.0.1', port: 0 });
  return {
    url,
    store,
    engine,
    inventory,
    request: (method, path, requestOptions) => apiRequest(url, method, path, requestOptions),
    stop: async () => {
      await api.close();
      await engine.stop();
      await inventory.stop();
      await store.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * A stand-in for the real access control (another module): one caller, READ/WRITE/EXECUTE from the
 * application's stored `permissions` by role, account actions from `accountGrants`.
 */
export function roleAccess(principal: Principal, store: () => Store, accountGrants: Readonly<Record<string, readonly AccountAction[]>> = {}): AccessControl {
  return {
    enabled: true,
    authenticate: () => Promise.resolve(principal),
    canApplication: async (_principal, application, action: ApplicationAction) => {
      if (principal.admin) return true;
      const found = await store().applications.get(application);
      const granted = (found?.attributes['permissions'] as Partial<Record<ApplicationAction, string[]>> | undefined)?.[action] ?? [];
      return principal.roles.some((role) => granted.includes(role));
    },
    canAccount: (_principal, account, action) => principal.admin || (accountGrants[account] ?? []).includes(action),
  };
}

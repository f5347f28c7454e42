import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Capacity, LaunchSpec, ServerGroup } from '../../src/core/cloud/index.js';
import type { ExecutionState, OrchestrationStep } from '../../src/core/execution/index.js';
import { cloudServices } from '../../src/app/cloud-services.js';
import type { CloudServices } from '../../src/engine/cloud-services.js';
import { Engine } from '../../src/engine/engine.js';
import type { StageDefinition } from '../../src/engine/stage-contract.js';
import { Inventory } from '../../src/inventory/inventory.js';
import { createLogger } from '../../src/log/logger.js';
import { LocalCloudProvider } from '../../src/providers/local/local-cloud-provider.js';
import { ProviderRegistry } from '../../src/providers/registry.js';
import { builtInStages } from '../../src/stages/index.js';
import { openStore } from '../../src/store/open.js';
import type { Store } from '../../src/store/store.js';
import { helloLaunch, helloServiceDir, startLocalCloud, upCount, type LocalCloudUnderTest } from './localcloud.js';

/**
 * Everything deploy stages run on, in this process over a real local-cloud daemon: a SQLite store, the
 * local provider, the inventory (write-through, change stream), cloud services and an engine with the
 * built-in stages. One per test file; `stop()` ends the engine, inventory, daemon and every instance.
 */
export interface DeployHarness {
  readonly cloud: LocalCloudUnderTest;
  readonly store: Store;
  readonly inventory: Inventory;
  readonly services: CloudServices;
  readonly engine: Engine;
  /** Runs stages as an orchestration and resolves with the finished execution. */
  orchestrate(application: string, steps: readonly OrchestrationStep[], description?: string): Promise<ExecutionState>;
  /** A load balancer in local/us-east (created if missing); answers its URL. */
  balancer(name: string): Promise<string>;
  /** Creates a server group through the inventory and waits until `desired` instances are Up. */
  createGroup(options: CreateGroupOptions): Promise<ServerGroup>;
  /** The group as the inventory has it now (throws when it does not exist). */
  group(name: string, region?: string): ServerGroup;
  /** Stores `trafficGuards` on the application (creating it if needed). */
  protect(application: string, guards: readonly Record<string, unknown>[]): Promise<void>;
  stop(): Promise<void>;
}

export interface CreateGroupOptions {
  readonly application: string;
  readonly stack?: string;
  readonly detail?: string;
  readonly capacity: Capacity;
  readonly launch?: LaunchSpec;
  readonly loadBalancers?: readonly string[];
  readonly region?: string;
  readonly enabled?: boolean;
}

export const account = 'local';
export const region = 'us-east';
const accounts = [{ name: account, provider: 'local', regions: ['us-east', 'eu-west'] }];

let creations = 0;

export async function startDeployHarness(options: { readonly stages?: readonly StageDefinition[] } = {}): Promise<DeployHarness> {
  const logger = createLogger('silent');
  const dataDir = mkdtempSync(join(tmpdir(), 'gennaker-deploy-'));
  const cloud = await startLocalCloud();
  const parts: { store?: Store; inventory?: Inventory; providers?: ProviderRegistry; engine?: Engine } = {};
  const stop = async (): Promise<void> => {
    await parts.engine?.stop();
    await parts.inventory?.stop();
    await parts.providers?.close();
    await parts.store?.close();
    await cloud.stop();
    rmSync(dataDir, { recursive: true, force: true });
  };
  try {
    const store = (parts.store = await openStore({ dataDir }));
    const providers = (parts.providers = new ProviderRegistry([{ name: 'local', provider: new LocalCloudProvider({ url: cloud.url, logger }), accounts }]));
    const inventory = (parts.inventory = new Inventory({ store, registry: providers, logger, reconcileIntervalMs: 60_000 }));
    await inventory.start();
    await inventory.reconciled();
    const services = cloudServices(inventory, providers, store);
    const engine = (parts.engine = new Engine({
      store,
      stages: options.stages ?? builtInStages(),
      logger,
      dataDir,
      nodeId: 'deploy-harness',
      cloud: services,
    }));
    await engine.start();

    const group = (name: string, where = region): ServerGroup => {
      const found = inventory.serverGroup(account, where, name);
      if (!found) throw new Error(`server group ${name} is not in the inventory of ${account}/${where}`);
      return found;
    };

    return {
      cloud,
      store,
      inventory,
      services,
      engine,
      async orchestrate(application, steps, description = `${steps.map((step) => step.type).join(', ')} for ${application}`) {
        const id = await engine.runOrchestration(application, description, steps, 'harness');
        return engine.whenComplete(id);
      },
      async balancer(name) {
        const status = await inventory.execute(`lb-${name}`, { type: 'upsertLoadBalancer', account, region, name });
        if (status.state !== 'succeeded' || !status.loadBalancer) throw new Error(`load balancer ${name}: ${JSON.stringify(status)}`);
        return `http://${status.loadBalancer.address}`;
      },
      async createGroup(create) {
        const where = create.region ?? region;
        const status = await inventory.execute(`create-${process.pid}-${++creations}`, {
          type: 'createServerGroup',
          account,
          region: where,
          application: create.application,
          ...(create.stack === undefined ? {} : { stack: create.stack }),
          ...(create.detail === undefined ? {} : { detail: create.detail }),
          capacity: create.capacity,
          launch: create.launch ?? helloLaunch(),
          loadBalancers: [...(create.loadBalancers ?? [])],
          enabled: create.enabled ?? true,
        });
        if (status.state !== 'succeeded' || !status.serverGroup) throw new Error(`create ${create.application}: ${JSON.stringify(status)}`);
        const name = status.serverGroup.name;
        const desired = create.capacity.desired;
        const ready = await services.waitFor(
          account,
          where,
          (snapshot) => {
            const current = snapshot.serverGroups.find((candidate) => candidate.name === name);
            const serving = current?.instances.filter((instance) => instance.health === (current.enabled ? 'Up' : 'OutOfService')).length ?? 0;
            return current && serving >= desired ? current : undefined;
          },
          { timeoutMs: 30_000, signal: AbortSignal.timeout(31_000) },
        );
        if (!ready) throw new Error(`server group ${name} did not get ${desired} instances ready: ${JSON.stringify(group(name, where).instances)}`);
        return ready;
      },
      group,
      async protect(application, guards) {
        const existing = await store.applications.get(application);
        if (existing) await store.applications.update(application, { ...existing.attributes, trafficGuards: guards }, existing.version);
        else await store.applications.create(application, { trafficGuards: guards });
      },
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

export { upCount };

/** A createServerGroup step that deploys the demo service to local/us-east; `extra` overrides any field. */
export function helloServerGroup(version: string, extra: Readonly<Record<string, unknown>> = {}): OrchestrationStep {
  return {
    type: 'createServerGroup',
    name: `Deploy hello ${version}`,
    context: {
      application: 'hello',
      account,
      region,
      capacity: { min: 2, max: 2, desired: 2 },
      loadBalancers: ['hello-lb'],
      artifact: { name: 'hello', version, location: helloServiceDir },
      command: ['node', 'server.js'],
      healthCheck: { path: '/health', intervalMs: 100, timeoutMs: 1000, healthyThreshold: 1, unhealthyThreshold: 2 },
      ...extra,
    },
  };
}

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cloudServices } from '../../src/app/cloud-services.js';
import type { ExecutionState } from '../../src/core/execution/index.js';
import { Engine } from '../../src/engine/engine.js';
import { Inventory } from '../../src/inventory/inventory.js';
import { createLogger } from '../../src/log/logger.js';
import { LocalCloudProvider } from '../../src/providers/local/local-cloud-provider.js';
import { ProviderRegistry } from '../../src/providers/registry.js';
import { builtInStages } from '../../src/stages/index.js';
import { openStore } from '../../src/store/open.js';
import type { Store } from '../../src/store/store.js';
import { helloServiceDir, startLocalCloud, type LocalCloudUnderTest } from './localcloud.js';

/**
 * The whole deploy path in one process, as `serve` wires it: a SQLite store, the local-cloud daemon (its own
 * process, with real instances and balancers), the inventory over its change stream, and an engine with the
 * built-in stages. `stop` ends all of it, instances included.
 */
export interface DeployStack {
  readonly store: Store;
  readonly engine: Engine;
  readonly inventory: Inventory;
  readonly cloud: LocalCloudUnderTest;
  /** Runs stages as an orchestration and waits for it to end. */
  orchestrate(name: string, stages: readonly Record<string, unknown>[]): Promise<ExecutionState>;
  /** Creates (or finds) a balancer and answers its URL. */
  balancer(name: string, region?: string): Promise<string>;
  stop(): Promise<void>;
}

const logger = createLogger('silent');
let runs = 0;

export async function startDeployStack(): Promise<DeployStack> {
  const dataDir = mkdtempSync(join(tmpdir(), 'gennaker-deploy-'));
  const cloud = await startLocalCloud();
  const store = await openStore({ dataDir });
  const registry = new ProviderRegistry([
    { name: 'local', provider: new LocalCloudProvider({ url: cloud.url, logger }), accounts: [{ name: 'local', provider: 'local', regions: ['us-east', 'eu-west'] }] },
  ]);
  const inventory = new Inventory({ store, registry, logger, reconcileIntervalMs: 60_000 });
  const engine = new Engine({ store, stages: builtInStages(), logger, dataDir, nodeId: 'deploy-test', cloud: cloudServices(inventory, registry, store) });
  try {
    await inventory.start();
    await inventory.reconciled();
    await engine.start();
  } catch (error) {
    await cloud.stop();
    throw error;
  }
  return {
    store,
    engine,
    inventory,
    cloud,
    async orchestrate(name, stages) {
      const id = await engine.run({
        id: `deploy-${process.pid}-${++runs}`,
        type: 'ORCHESTRATION',
        application: 'hello',
        name,
        trigger: { type: 'manual', user: 'ann', parameters: {} },
        stages: stages.map((stage, index) => ({
          refId: String(index + 1),
          requisiteStageRefIds: index === 0 ? [] : [String(index)],
          onFailure: 'haltPipeline' as const,
          name: String(stage['name'] ?? stage['type']),
          type: String(stage['type']),
          context: stage,
        })),
      });
      return engine.whenComplete(id);
    },
    async balancer(name, region = 'us-east') {
      const { loadBalancer } = await cloud.succeed({ type: 'upsertLoadBalancer', account: 'local', region, name });
      return `http://${loadBalancer!.address}`;
    },
    async stop() {
      await engine.stop();
      await inventory.stop();
      await registry.close();
      await store.close();
      await cloud.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** A createServerGroup stage for the demo service; `extra` overrides any field. */
export function helloServerGroup(version: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    type: 'createServerGroup',
    name: `Deploy hello ${version}`,
    application: 'hello',
    account: 'local',
    region: 'us-east',
    capacity: { min: 2, max: 2, desired: 2 },
    loadBalancers: ['hello-lb'],
    artifact: { name: 'hello', version, location: helloServiceDir },
    command: ['node', 'server.js'],
    healthCheck: { path: '/health', intervalMs: 100, timeoutMs: 1000, healthyThreshold: 1, unhealthyThreshold: 2 },
    ...extra,
  };
}

import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isGennakerError } from '../core/errors.js';
import type { Engine } from '../engine/engine.js';
import type { Inventory } from '../inventory/inventory.js';
import type { Logger } from '../log/logger.js';
import { demoApplication } from './demo.js';

const where = { account: 'local', region: 'us-east' } as const;
const balancer = 'hello';
/** Who the demo deploy runs as when authentication is off. */
export const demoUser = 'demo';
/** Fixed, so a restarted demo finds its deploy instead of deploying again. */
const deployId = 'demo-deploy-hello-1-0-0';

/** examples/hello-service, found upwards from this file (the bundle in dist/, or the compiled module). */
function helloServiceDirectory(): string | undefined {
  let directory = dirname(fileURLToPath(import.meta.url));
  for (let depth = 0; depth < 5; depth += 1) {
    const candidate = join(directory, 'examples', 'hello-service');
    if (existsSync(join(candidate, 'server.js'))) return candidate;
    directory = dirname(directory);
  }
  return undefined;
}

/**
 * The `npm start` tour's deploy: a load balancer `hello` and the demo service v1.0.0 behind it, red/black,
 * on the local cloud — real processes answering real requests. Runs in the background; a restart finds
 * the deploy it already made.
 */
export async function deployDemo(engine: Engine, inventory: Inventory, logger: Logger, user: string): Promise<void> {
  const location = helloServiceDirectory();
  if (location === undefined) {
    logger.warn('demo: examples/hello-service not found next to Gennaker; nothing deployed');
    return;
  }
  await inventory.reconciled();
  await inventory.execute('demo-load-balancer-hello', { type: 'upsertLoadBalancer', ...where, name: balancer });
  try {
    await engine.runOrchestration(
      demoApplication,
      'Deploy the demo service',
      [
        {
          type: 'createServerGroup',
          name: 'Deploy hello 1.0.0 (red/black)',
          context: {
            application: demoApplication,
            ...where,
            cloudProvider: 'local',
            capacity: { min: 2, max: 2, desired: 2 },
            loadBalancers: [balancer],
            artifact: { name: 'hello-service', version: '1.0.0', location },
            command: ['node', 'server.js'],
            healthCheck: { path: '/health' },
            strategy: 'redblack',
          },
        },
      ],
      user,
      deployId,
    );
  } catch (error) {
    if (!(isGennakerError(error) && error.code === 'GNK_E_ALREADY_EXISTS')) throw error;
  }
  const done = await engine.whenComplete(deployId);
  const address = inventory.loadBalancer(where.account, where.region, balancer)?.address;
  if (done.execution.status === 'SUCCEEDED') logger.info({ url: `http://${address}/` }, `demo: hello-service is serving at http://${address}/`);
  else logger.warn({ status: done.execution.status }, 'demo: the deploy of hello-service did not succeed');
}

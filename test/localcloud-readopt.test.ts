import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { daemonAnnouncementSchema, jsonEqual, type LoadBalancer, type ServerGroup } from '../src/core/cloud/index.js';
import { createLogger } from '../src/log/logger.js';
import { LocalCloudProvider } from '../src/providers/local/local-cloud-provider.js';
import { startServer, type RunningServer } from './support/cli.js';
import { sendRequests } from './support/load.js';
import { helloLaunch, killServedCloud } from './support/localcloud.js';

const dataDir = mkdtempSync(join(tmpdir(), 'gennaker-readopt-'));
const servers: RunningServer[] = [];
after(() => killServedCloud(dataDir, servers));

interface InventoryBody {
  serverGroups: ServerGroup[];
  loadBalancers: LoadBalancer[];
}

async function controlPlaneInventory(server: RunningServer): Promise<InventoryBody> {
  return (await (await fetch(`${server.url}/api/inventory`)).json()) as InventoryBody;
}

/** Waits (bounded) until the control plane's inventory satisfies `predicate`. */
async function inventoryWhere(server: RunningServer, predicate: (body: InventoryBody) => boolean, what: string): Promise<InventoryBody> {
  let body: InventoryBody | undefined;
  for (let attempt = 0; attempt < 400; attempt += 1) {
    body = await controlPlaneInventory(server);
    if (predicate(body)) return body;
    await sleep(50);
  }
  return assert.fail(`the control plane never saw ${what}; last: ${JSON.stringify(body)}`);
}

/** Resolves when the server logs `message` (the first reconcile says when it is done). */
async function logged(server: RunningServer, message: string): Promise<void> {
  const seen = (): boolean => server.output().split('\n').some((line) => line.includes(`"msg":"${message}"`));
  if (seen()) return;
  await new Promise<void>((resolve, reject) => {
    const onData = (): void => {
      if (!seen()) return;
      server.child.stdout!.off('data', onData);
      resolve();
    };
    server.child.stdout!.on('data', onData);
    server.child.once('exit', () => reject(new Error(`serve exited before logging "${message}":\n${server.output()}`)));
  });
}

function upInstances(group: ServerGroup | undefined): number {
  return group?.instances.filter((instance) => instance.health === 'Up').length ?? 0;
}

test('killing the control plane leaves the balancer and instances serving; a restart re-adopts them with a matching inventory', async () => {
  const first = await startServer(['--data', dataDir, '--log-level', 'info', '--insecure-no-auth']);
  servers.push(first);
  const announcement = daemonAnnouncementSchema.parse(JSON.parse(readFileSync(join(dataDir, 'localcloud', 'daemon.json'), 'utf8')));
  const provider = new LocalCloudProvider({ url: announcement.url, logger: createLogger('silent') });

  const where = { account: 'local', region: 'us-east' };
  const balancer = await provider.apply('readopt-lb', { type: 'upsertLoadBalancer', ...where, name: 'hello' });
  assert.equal(balancer.state, 'succeeded');
  const created = await provider.apply('readopt-v000', {
    type: 'createServerGroup',
    ...where,
    application: 'hello',
    capacity: { min: 3, max: 3, desired: 3 },
    launch: helloLaunch('1.0.0'),
    loadBalancers: ['hello'],
    enabled: true,
  });
  assert.equal(created.state, 'succeeded');
  assert.equal(created.state === 'succeeded' && created.serverGroup?.name, 'hello-v000');
  await inventoryWhere(first, (body) => upInstances(body.serverGroups.find((group) => group.name === 'hello-v000')) === 3, '3 Up instances');

  first.child.kill('SIGKILL');
  await new Promise((resolve) => first.child.once('exit', resolve));
  process.kill(announcement.pid, 0); // the daemon outlived the control plane (throws if it is gone)

  const lbAddress = (await provider.describe('local', 'us-east')).loadBalancers.find((lb) => lb.name === 'hello')!.address;
  const results = await sendRequests(`http://${lbAddress}/`, 200);
  const failures = results.filter((result) => result.status !== 200);
  assert.equal(failures.length, 0, `requests through the balancer failed: ${JSON.stringify(failures.slice(0, 3))}`);

  const second = await startServer(['--data', dataDir, '--log-level', 'info', '--insecure-no-auth']);
  servers.push(second);
  assert.match(second.output(), /local cloud: adopted the running daemon/);
  // The last known state is served before the first reconcile.
  const atStart = await controlPlaneInventory(second);
  assert.ok(atStart.serverGroups.some((group) => group.name === 'hello-v000'), 'hello-v000 served from the store at start');
  assert.ok(atStart.loadBalancers.some((lb) => lb.name === 'hello'), 'the balancer served from the store at start');

  await logged(second, 'inventory: reconciled');
  const actual = await provider.describe('local', 'us-east');
  const byName = <T extends { name: string }>(items: readonly T[]): T[] => [...items].sort((a, b) => a.name.localeCompare(b.name));
  const eastOnly = (body: InventoryBody): InventoryBody => ({
    serverGroups: byName(body.serverGroups.filter((group) => group.region === 'us-east')),
    loadBalancers: byName(body.loadBalancers.filter((lb) => lb.region === 'us-east')),
  });
  // Instances may still change health on their own; the inventory follows through the change stream.
  const seen = await inventoryWhere(
    second,
    (body) => jsonEqual(eastOnly(body), eastOnly(actual)),
    'the daemon’s state',
  );
  assert.deepEqual(eastOnly(seen).serverGroups.map((group) => [group.name, group.instances.length, upInstances(group)]), [['hello-v000', 3, 3]]);
  assert.deepEqual(eastOnly(seen).loadBalancers.map((lb) => lb.name), ['hello']);
  assert.deepEqual(
    eastOnly(seen).serverGroups[0]!.instances.map((instance) => instance.id).sort(),
    actual.serverGroups[0]!.instances.map((instance) => instance.id).sort(),
  );

  assert.equal(await second.stop(), 0);
  process.kill(announcement.pid, 0); // a clean stop leaves the daemon running too
  await provider.close();
});

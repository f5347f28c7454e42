import assert from 'node:assert/strict';
import { request } from 'node:http';
import { test } from 'node:test';
import type { ServerGroup } from '../../src/core/cloud/index.js';
import { helloLaunch, upCount, type LocalCloudUnderTest } from './localcloud.js';
import { countBy, sendRequests, sendUntil } from './load.js';

/**
 * The traffic behaviours every load-balancer backend must show (builtin and HAProxy alike), registered
 * as tests against the local cloud `cloud()` returns.
 */
export function defineTrafficScenarios(cloud: () => LocalCloudUnderTest): void {
  const where = { account: 'local', region: 'us-east' } as const;

  async function balancer(name: string): Promise<string> {
    const { loadBalancer } = await cloud().succeed({ type: 'upsertLoadBalancer', ...where, name });
    return `http://${loadBalancer!.address}`;
  }

  async function deploy(application: string, loadBalancer: string, desired: number, version = '1.0.0', env: Record<string, string> = {}): Promise<ServerGroup> {
    const { serverGroup } = await cloud().succeed({
      type: 'createServerGroup',
      ...where,
      application,
      capacity: { min: 0, max: 10, desired },
      launch: helloLaunch(version, env),
      loadBalancers: [loadBalancer],
    });
    return cloud().waitForGroup(serverGroup!.name, (group) => upCount(group) === desired, `${desired} Up instances`);
  }

  /** Asks an instance for its open connections until only the asking one is left (bounded). */
  async function waitForConnections(url: string, expected: number): Promise<void> {
    let last = -1;
    for (let i = 0; i < 200; i++) {
      last = ((await (await fetch(url, { headers: { connection: 'close' } })).json()) as { connections: number }).connections;
      if (last === expected) return;
      await new Promise((resolveWait) => setTimeout(resolveWait, 50));
    }
    assert.fail(`the instance still has ${last} open connections, expected ${expected}`);
  }

  /** Sends one request and resolves when its status line arrives, with a promise of the whole body. */
  function startSlowRequest(url: string): Promise<{ status: number; body: Promise<string> }> {
    return new Promise((resolveStart, reject) => {
      const outgoing = request(url, { agent: false }, (response) => {
        let body = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => (body += chunk));
        resolveStart({ status: response.statusCode ?? 0, body: new Promise((resolveBody) => response.once('end', () => resolveBody(body))) });
      });
      outgoing.once('error', reject);
      outgoing.end();
    });
  }


  test('hello-v000 with 3 instances behind a load balancer takes traffic on all three, evenly', async () => {
    const url = await balancer('even-lb');
    const group = await deploy('hello', 'even-lb', 3);
    assert.equal(group.name, 'hello-v000');
    const results = await sendRequests(url, 30);
    assert.deepEqual(results.map((r) => r.status).filter((s) => s !== 200), []);
    const perInstance = countBy(results, 'instance');
    assert.deepEqual(Object.keys(perInstance).sort(), group.instances.map((i) => i.id).sort());
    assert.deepEqual(Object.values(perInstance), [10, 10, 10]);
  });

  test('a killed instance is skipped by the load balancer and replaced under a new id', async () => {
    const url = await balancer('kill-lb');
    const group = await deploy('killme', 'kill-lb', 3);
    const victim = group.instances[0]!.id;
    const killed = await cloud().post('/v1/chaos/terminate', { ...where, instanceId: victim });
    assert.deepEqual(killed, { status: 200, body: { instanceId: victim } });
    const meanwhile = await sendRequests(url, 60, 4);
    assert.deepEqual(meanwhile.filter((r) => r.status !== 200), [], 'no request fails while the instance is gone');
    assert.equal(countBy(meanwhile, 'instance')[victim], undefined, 'the killed instance gets no traffic');
    const healed = await cloud().waitForGroup(
      group.name,
      (g) => upCount(g) === 3 && !g.instances.some((i) => i.id === victim),
      'a replacement for the killed instance',
    );
    const before = new Set(group.instances.map((i) => i.id));
    assert.equal(healed.instances.filter((i) => !before.has(i.id)).length, 1);
    assert.equal(Object.keys(countBy(await sendRequests(url, 30), 'instance')).length, 3);
  });

  test('resize 3 → 5 → 1 launches and stops instances, and traffic follows', async () => {
    const url = await balancer('resize-lb');
    const group = await deploy('resize', 'resize-lb', 3);
    await cloud().succeed({ type: 'resizeServerGroup', ...where, serverGroup: group.name, capacity: { min: 1, max: 5, desired: 5 } });
    const five = await cloud().waitForGroup(group.name, (g) => upCount(g) === 5 && g.instances.length === 5, '5 Up instances');
    assert.equal(Object.keys(countBy(await sendRequests(url, 50), 'instance')).length, 5);
    const resized = await cloud().succeed({ type: 'resizeServerGroup', ...where, serverGroup: group.name, capacity: { min: 1, max: 5, desired: 1 } });
    assert.deepEqual(resized.serverGroup!.capacity, { min: 1, max: 5, desired: 1 });
    const one = await cloud().waitForGroup(group.name, (g) => g.instances.length === 1, 'a single instance');
    assert.equal(one.instances[0]!.health, 'Up');
    assert.ok(five.instances.some((i) => i.id === one.instances[0]!.id), 'scale-in keeps one of the running instances');
    const results = await sendRequests(url, 20);
    assert.deepEqual(countBy(results, 'instance'), { [one.instances[0]!.id]: 20 });
  });

  test('disable stops new requests at once while an in-flight request finishes (draining)', async () => {
    const url = await balancer('drain-lb');
    const old = await deploy('drain', 'drain-lb', 1, '1.0.0');
    const next = await deploy('drain', 'drain-lb', 1, '2.0.0');
    assert.deepEqual([old.name, next.name], ['drain-v000', 'drain-v001']);
    await cloud().succeed({ type: 'setTrafficWeights', ...where, loadBalancer: 'drain-lb', weights: { 'drain-v000': 1, 'drain-v001': 0 } });
    const inFlight = await startSlowRequest(`${url}/sleep?ms=1500`);
    assert.equal(inFlight.status, 200);
    await cloud().succeed({ type: 'setTrafficWeights', ...where, loadBalancer: 'drain-lb', weights: null });
    const disabled = await cloud().succeed({ type: 'disableServerGroup', ...where, serverGroup: 'drain-v000' });
    assert.equal(disabled.serverGroup!.enabled, false);
    assert.deepEqual(disabled.serverGroup!.instances.map((i) => i.health), ['OutOfService']);
    const after = await sendRequests(url, 20);
    assert.deepEqual(countBy(after, 'serverGroup'), { 'drain-v001': 20 });
    const finished = JSON.parse(await inFlight.body) as { message: string; serverGroup: string };
    assert.deepEqual([finished.message, finished.serverGroup], ['slept', 'drain-v000']);
    // Drained: the balancer closes its idle keep-alive connections to the disabled instance.
    await waitForConnections(`http://${old.instances[0]!.address}/connections`, 1);
    await cloud().succeed({ type: 'enableServerGroup', ...where, serverGroup: 'drain-v000' });
    assert.deepEqual(countBy(await sendRequests(url, 20), 'serverGroup'), { 'drain-v000': 10, 'drain-v001': 10 });
  });

  test('weights 90/10 are observed within ±2 percentage points over 2,000 requests', async () => {
    const url = await balancer('weights-lb');
    await deploy('weights', 'weights-lb', 2, '1.0.0');
    await deploy('weights', 'weights-lb', 1, '2.0.0');
    const set = await cloud().succeed({ type: 'setTrafficWeights', ...where, loadBalancer: 'weights-lb', weights: { 'weights-v000': 90, 'weights-v001': 10 } });
    assert.deepEqual(set.loadBalancer!.weights, { 'weights-v000': 90, 'weights-v001': 10 });
    const results = await sendRequests(url, 2000, 16);
    assert.equal(results.filter((r) => r.status !== 200).length, 0);
    const shares = countBy(results, 'serverGroup');
    const canaryShare = (100 * (shares['weights-v001'] ?? 0)) / 2000;
    assert.ok(Math.abs(canaryShare - 10) <= 2, `weights-v001 got ${canaryShare}% of the requests`);
    assert.equal((shares['weights-v000'] ?? 0) + (shares['weights-v001'] ?? 0), 2000);
  });

  test('red/black under steady load: deploy v001, disable and destroy v000, and no request fails', async () => {
    const url = await balancer('redblack-lb');
    await deploy('redblack', 'redblack-lb', 2, '1.0.0');
    let done = false;
    const traffic = sendUntil(url, () => done, 4);
    try {
      await deploy('redblack', 'redblack-lb', 2, '2.0.0');
      await cloud().succeed({ type: 'disableServerGroup', ...where, serverGroup: 'redblack-v000' });
      await cloud().succeed({ type: 'destroyServerGroup', ...where, serverGroup: 'redblack-v000' });
      await sendRequests(url, 200);
    } finally {
      done = true;
    }
    const results = await traffic;
    assert.deepEqual(results.filter((r) => r.status !== 200), [], 'every request during the swap succeeds');
    const versions = countBy(results, 'version');
    assert.ok((versions['1.0.0'] ?? 0) > 0 && (versions['2.0.0'] ?? 0) > 0, `both versions served: ${JSON.stringify(versions)}`);
    const last = countBy(await sendRequests(url, 20), 'version');
    assert.deepEqual(last, { '2.0.0': 20 });
  });

  test('a crash-looping server group shows why and its load balancer answers 503 with a coded error', async () => {
    const url = await balancer('broken-lb');
    const { serverGroup } = await cloud().succeed({
      type: 'createServerGroup',
      ...where,
      application: 'broken',
      capacity: { min: 1, max: 1, desired: 1 },
      launch: helloLaunch('1.0.0', { HELLO_FAIL_START: 'true' }),
      loadBalancers: ['broken-lb'],
    });
    const down = await cloud().waitForGroup(serverGroup!.name, (g) => g.instances.some((i) => i.reason === 'exited with code 1'), 'a Down instance');
    assert.equal(down.instances.find((i) => i.reason)!.health, 'Down');
    const response = await fetch(url);
    assert.equal(response.status, 503);
    const body = (await response.json()) as { error: { code: string; message: string } };
    assert.equal(body.error.code, 'GNK_E_NO_HEALTHY_BACKEND');
    assert.match(body.error.message, /broken-lb/);
    await cloud().succeed({ type: 'destroyServerGroup', ...where, serverGroup: serverGroup!.name });
  });
}

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { CloudChange } from '../src/core/cloud/index.js';
import { helloLaunch, helloServiceDir, startLocalCloud, upCount, type LocalCloudUnderTest } from './support/localcloud.js';
import { countBy, sendRequests } from './support/load.js';

let cloud: LocalCloudUnderTest;
const scratch = mkdtempSync(join(tmpdir(), 'gennaker-localcloud-ops-'));
before(async () => {
  cloud = await startLocalCloud();
});
after(async () => {
  await cloud?.stop();
  rmSync(scratch, { recursive: true, force: true });
});

const where = { account: 'local', region: 'us-east' } as const;
const capacity = (desired: number) => ({ min: 0, max: 5, desired });

interface ErrorAnswer {
  error: { code: string; message: string; details: { path?: string; expected?: string }[] };
}

/** Reads server-sent events from /v1/changes until `enough` says stop (bounded by the test's own timeout). */
async function readChanges(query: string, enough: (events: { event: string; data: unknown }[]) => boolean) {
  const controller = new AbortController();
  const response = await fetch(`${cloud.url}/v1/changes${query}`, { signal: controller.signal });
  assert.equal(response.headers.get('content-type'), 'text/event-stream');
  const reader = response.body!.getReader();
  const decoder = new TextDecoder();
  const events: { event: string; data: unknown }[] = [];
  let buffer = '';
  try {
    while (!enough(events)) {
      const { value, done } = await reader.read();
      if (done) break;
      buffer += decoder.decode(value, { stream: true });
      let end: number;
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const lines = block.split('\n');
        const data = lines.find((line) => line.startsWith('data: '));
        if (!data) continue;
        const event = lines.find((line) => line.startsWith('event: '))?.slice(7) ?? 'message';
        events.push({ event, data: JSON.parse(data.slice(6)) });
      }
    }
  } finally {
    controller.abort();
  }
  return events;
}

describe('local cloud operations', () => {
  test('an operation is applied once per client token; the same token answers the stored status', async () => {
    const operation = { type: 'createServerGroup', ...where, application: 'idem', capacity: capacity(1), launch: helloLaunch() } as const;
    const [first, concurrent] = await Promise.all([cloud.apply(operation, 'idem-token'), cloud.apply(operation, 'idem-token')]);
    const again = await cloud.apply(operation, 'idem-token');
    assert.equal(first.state, 'succeeded');
    assert.deepEqual(concurrent, first);
    assert.deepEqual(again, first);
    const stored = await fetch(`${cloud.url}/v1/operations/idem-token`);
    assert.deepEqual(await stored.json(), first);
    const groups = (await cloud.describe()).serverGroups.filter((group) => group.cluster === 'idem');
    assert.deepEqual(groups.map((group) => group.name), ['idem-v000']);
    const other = await cloud.succeed(operation, 'idem-token-2');
    assert.equal(other.serverGroup!.name, 'idem-v001');
  });

  test('malformed operations are refused with 400, naming the field and what was expected', async () => {
    const missing = await cloud.post('/v1/operations', { clientToken: 't-bad-1', operation: { type: 'createServerGroup', ...where, application: 'x', launch: helloLaunch() } });
    assert.equal(missing.status, 400);
    const missingBody = missing.body as ErrorAnswer;
    assert.equal(missingBody.error.code, 'GNK_E_VALIDATION');
    assert.ok(missingBody.error.details.some((detail) => detail.path === 'operation.capacity'), JSON.stringify(missingBody));

    const inverted = await cloud.post('/v1/operations', {
      clientToken: 't-bad-2',
      operation: { type: 'resizeServerGroup', ...where, serverGroup: 'idem-v000', capacity: { min: 3, max: 5, desired: 1 } },
    });
    assert.equal(inverted.status, 400);
    assert.match((inverted.body as ErrorAnswer).error.message, /operation\.capacity: expected min ≤ desired ≤ max/);

    const unknownType = await cloud.post('/v1/operations', { clientToken: 't-bad-3', operation: { type: 'explode', ...where } });
    assert.equal(unknownType.status, 400);
    assert.equal((unknownType.body as ErrorAnswer).error.details[0]!.path, 'operation.type');

    const noToken = await cloud.post('/v1/operations', { operation: { type: 'enableServerGroup', ...where, serverGroup: 'idem-v000' } });
    assert.equal((noToken.body as ErrorAnswer).error.details[0]!.path, 'clientToken');
    assert.equal((await fetch(`${cloud.url}/v1/operations/t-bad-1`)).status, 404, 'refused requests store nothing');
  });

  test('operations that do not apply fail with a coded status naming what is missing', async () => {
    const region = await cloud.apply({ type: 'upsertLoadBalancer', account: 'local', region: 'mars', name: 'x' });
    assert.deepEqual(region.state === 'failed' && [region.code, region.message], ['GNK_E_NOT_FOUND', 'account local has no region mars (regions: us-east, eu-west)']);
    const account = await cloud.apply({ type: 'upsertLoadBalancer', account: 'prod', region: 'us-east', name: 'x' });
    assert.deepEqual(account.state === 'failed' && account.code, 'GNK_E_NOT_FOUND');
    const group = await cloud.apply({ type: 'enableServerGroup', ...where, serverGroup: 'nope-v000' });
    assert.deepEqual(group.state === 'failed' && group.message, 'no server group nope-v000 in local/us-east');
    const artifact = await cloud.apply({
      type: 'createServerGroup',
      ...where,
      application: 'ghost',
      capacity: capacity(1),
      launch: helloLaunch('1.0.0', {}, join(scratch, 'missing')),
    });
    assert.equal(artifact.state === 'failed' && artifact.code, 'GNK_E_ARTIFACT_UNAVAILABLE');
    const balancer = await cloud.apply({ type: 'createServerGroup', ...where, application: 'ghost', capacity: capacity(1), launch: helloLaunch(), loadBalancers: ['no-such-lb'] });
    assert.equal(balancer.state === 'failed' && balancer.message, 'no load balancer no-such-lb in local/us-east');
    const name = await cloud.apply({ type: 'createServerGroup', ...where, application: 'bad-name', capacity: capacity(1), launch: helloLaunch() });
    assert.equal(name.state === 'failed' && name.code, 'GNK_E_VALIDATION');
    const failedAgain = await fetch(`${cloud.url}/v1/operations/${encodeURIComponent(group.clientToken)}`);
    assert.deepEqual(await failedAgain.json(), group, 'failures are stored under their token too');

    const unknownRegion = await fetch(`${cloud.url}/v1/accounts/local/regions/mars`);
    assert.equal(unknownRegion.status, 404);
    assert.equal(((await unknownRegion.json()) as ErrorAnswer).error.code, 'GNK_E_NOT_FOUND');
    const chaos = await cloud.post('/v1/chaos/terminate', { ...where, instanceId: 'i-999999' });
    assert.equal(chaos.status, 404);
    const latency = await cloud.post('/v1/chaos/latency', { ...where, loadBalancer: 'x', ms: -1 });
    assert.equal((latency.body as ErrorAnswer).error.details[0]!.path, 'ms');
    const since = await fetch(`${cloud.url}/v1/changes?since=yesterday`);
    assert.equal(since.status, 400);
  });

  test('an instance whose health check answers 503 is Down (not replaced, not routed to)', async () => {
    const { loadBalancer } = await cloud.succeed({ type: 'upsertLoadBalancer', ...where, name: 'sick-lb' });
    const { serverGroup } = await cloud.succeed({
      type: 'createServerGroup',
      ...where,
      application: 'sick',
      capacity: capacity(1),
      launch: helloLaunch('1.0.0', { HELLO_UNHEALTHY: 'true' }),
      loadBalancers: ['sick-lb'],
    });
    const down = await cloud.waitForGroup(serverGroup!.name, (g) => g.instances[0]?.health === 'Down', 'a Down instance');
    assert.equal(down.instances[0]!.reason, 'failing health checks');
    assert.equal(down.instances.length, 1);
    assert.equal((await fetch(`http://${loadBalancer!.address}/`)).status, 503);
    const still = (await cloud.describe()).serverGroups.find((g) => g.name === serverGroup!.name)!;
    assert.deepEqual(still.instances.map((i) => i.id), down.instances.map((i) => i.id), 'a live but unhealthy instance is kept');
  });

  test('terminateInstances with decrementDesired shrinks the group, and refuses to go below min', async () => {
    const { serverGroup } = await cloud.succeed({ type: 'createServerGroup', ...where, application: 'shrink', capacity: { min: 1, max: 3, desired: 2 }, launch: helloLaunch() });
    const two = await cloud.waitForGroup(serverGroup!.name, (g) => upCount(g) === 2, '2 Up instances');
    const [first, second] = two.instances.map((i) => i.id);
    const shrunk = await cloud.succeed({ type: 'terminateInstances', ...where, instanceIds: [first!], decrementDesired: true });
    assert.equal(shrunk.serverGroup!.capacity.desired, 1);
    const one = await cloud.waitForGroup(serverGroup!.name, (g) => g.instances.length === 1, 'one instance');
    assert.equal(one.instances[0]!.id, second);
    const refused = await cloud.apply({ type: 'terminateInstances', ...where, instanceIds: [second!], decrementDesired: true });
    assert.deepEqual(refused.state === 'failed' && refused.code, 'GNK_E_OPERATION_REFUSED');
    assert.match(refused.state === 'failed' ? refused.message : '', /below its minimum of 1/);
  });

  test('clone copies the launch, capacity and balancers into the next server group; a balancer with groups cannot be deleted', async () => {
    const { loadBalancer } = await cloud.succeed({ type: 'upsertLoadBalancer', ...where, name: 'clone-lb' });
    await cloud.succeed({ type: 'createServerGroup', ...where, application: 'clone', stack: 'prod', capacity: capacity(1), launch: helloLaunch('4.0.0'), loadBalancers: ['clone-lb'] });
    const cloned = await cloud.succeed({ type: 'cloneServerGroup', ...where, source: 'clone-prod-v000' });
    assert.equal(cloned.serverGroup!.name, 'clone-prod-v001');
    assert.deepEqual(cloned.serverGroup!.loadBalancers, ['clone-lb']);
    assert.equal(cloned.serverGroup!.launch.artifact.version, '4.0.0');
    await cloud.waitForGroup('clone-prod-v001', (g) => upCount(g) === 1, 'an Up instance');
    const refused = await cloud.apply({ type: 'deleteLoadBalancer', ...where, name: 'clone-lb' });
    assert.match(refused.state === 'failed' ? refused.message : '', /still has server groups attached: clone-prod-v000, clone-prod-v001/);
    for (const name of ['clone-prod-v000', 'clone-prod-v001']) {
      const destroyed = await cloud.succeed({ type: 'destroyServerGroup', ...where, serverGroup: name });
      assert.deepEqual(destroyed.removed, { kind: 'serverGroup', name });
    }
    const deleted = await cloud.succeed({ type: 'deleteLoadBalancer', ...where, name: 'clone-lb' });
    assert.deepEqual(deleted.removed, { kind: 'loadBalancer', name: 'clone-lb' });
    await assert.rejects(fetch(`http://${loadBalancer!.address}/`), 'the deleted balancer no longer listens');
  });

  test('a tarball artifact is extracted once per version and runs', async () => {
    const tarball = join(scratch, 'hello-9.9.9.tgz');
    execFileSync('tar', ['-czf', tarball, '-C', helloServiceDir, '.']);
    const { loadBalancer } = await cloud.succeed({ type: 'upsertLoadBalancer', ...where, name: 'tar-lb' });
    const { serverGroup } = await cloud.succeed({
      type: 'createServerGroup',
      ...where,
      application: 'tarball',
      capacity: capacity(1),
      launch: helloLaunch('9.9.9', {}, tarball),
      loadBalancers: ['tar-lb'],
    });
    await cloud.waitForGroup(serverGroup!.name, (g) => upCount(g) === 1, 'an Up instance');
    assert.ok(existsSync(join(cloud.dataDir, 'localcloud', 'artifacts', 'hello-9.9.9', 'server.js')));
    assert.deepEqual(countBy(await sendRequests(`http://${loadBalancer!.address}`, 3), 'version'), { '9.9.9': 3 });
    const instanceId = (await cloud.describe()).serverGroups.find((g) => g.name === serverGroup!.name)!.instances[0]!.id;
    assert.ok(existsSync(join(cloud.dataDir, 'localcloud', 'logs', serverGroup!.name, `${instanceId}.log`)), 'instance output is captured');
  });

  test('the change stream reports server groups as their instances come up, and a gap for a stale seq', async () => {
    const stream = readChanges('', (events) =>
      events.some((e) => {
        const change = e.data as CloudChange;
        return change.kind === 'serverGroupUpserted' && change.serverGroup.name === 'stream-v000' && upCount(change.serverGroup) === 1;
      }),
    );
    await cloud.succeed({ type: 'createServerGroup', ...where, application: 'stream', capacity: capacity(1), launch: helloLaunch() });
    const events = await stream;
    const seqs = events.map((e) => (e.data as CloudChange).seq);
    assert.deepEqual(seqs, [...seqs].sort((a, b) => a - b), 'seqs increase');
    assert.ok(events.some((e) => (e.data as CloudChange).kind === 'operationFinished'));
    const last = seqs.at(-1)!;
    const resumed = await readChanges(`?since=${last - 1}`, (received) => received.length >= 1);
    assert.equal((resumed[0]!.data as CloudChange).seq, last);
    const gap = await readChanges('?since=1', (received) => received.length >= 1);
    assert.equal(gap[0]!.event, 'gap');
  });
});

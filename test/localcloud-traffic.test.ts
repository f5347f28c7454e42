import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { ServerGroup } from '../src/core/cloud/index.js';
import { helloLaunch, startLocalCloud, upCount, type LocalCloudUnderTest } from './support/localcloud.js';
import { sendRequests } from './support/load.js';
import { defineTrafficScenarios } from './support/traffic-scenarios.js';

let cloud: LocalCloudUnderTest;
before(async () => {
  cloud = await startLocalCloud();
});
after(async () => {
  await cloud?.stop();
});

const where = { account: 'local', region: 'us-east' } as const;

async function balancer(name: string): Promise<string> {
  const { loadBalancer } = await cloud.succeed({ type: 'upsertLoadBalancer', ...where, name });
  return `http://${loadBalancer!.address}`;
}

async function deploy(application: string, loadBalancer: string, desired: number): Promise<ServerGroup> {
  const { serverGroup } = await cloud.succeed({
    type: 'createServerGroup',
    ...where,
    application,
    capacity: { min: 0, max: 10, desired },
    launch: helloLaunch(),
    loadBalancers: [loadBalancer],
  });
  return cloud.waitForGroup(serverGroup!.name, (group) => upCount(group) === desired, `${desired} Up instances`);
}

describe('local cloud traffic (builtin load balancer)', () => {
  defineTrafficScenarios(() => cloud);

  test('chaos latency is added to every proxied request; a random chaos kill names an instance of the group', async () => {
    const url = await balancer('chaos-lb');
    const group = await deploy('chaos', 'chaos-lb', 2);
    assert.equal((await cloud.post('/v1/chaos/latency', { ...where, loadBalancer: 'chaos-lb', ms: 300 })).status, 204);
    const started = performance.now();
    assert.equal((await fetch(url)).status, 200);
    assert.ok(performance.now() - started >= 300, 'the added latency delays the answer');
    assert.equal((await cloud.post('/v1/chaos/latency', { ...where, loadBalancer: 'chaos-lb', ms: 0 })).status, 204);
    const killed = await cloud.post('/v1/chaos/terminate', { ...where, serverGroup: group.name });
    const { instanceId } = killed.body as { instanceId: string };
    assert.ok(group.instances.some((i) => i.id === instanceId));
    await cloud.waitForGroup(group.name, (g) => upCount(g) === 2 && !g.instances.some((i) => i.id === instanceId), 'a replacement');
  });

  test('metrics count requests per server group and status class, with a latency histogram', async () => {
    const url = await balancer('metrics-lb');
    await deploy('metrics', 'metrics-lb', 1);
    await sendRequests(url, 7);
    const text = await (await fetch(`${cloud.url}/metrics`)).text();
    const labels = 'account="local",region="us-east",load_balancer="metrics-lb",server_group="metrics-v000"';
    assert.match(text, new RegExp(`gennaker_lb_requests_total\\{${labels},code="2xx"\\} 7\\n`));
    assert.match(text, new RegExp(`gennaker_lb_request_duration_seconds_count\\{${labels}\\} 7\\n`));
    assert.match(text, new RegExp(`gennaker_lb_request_duration_seconds_bucket\\{${labels},le="\\+Inf"\\} 7\\n`));
    assert.match(text, /# TYPE gennaker_lb_request_duration_seconds histogram/);
  });

  test('several regions: each region has its own server groups and balancers', async () => {
    const { loadBalancer } = await cloud.succeed({ type: 'upsertLoadBalancer', account: 'local', region: 'eu-west', name: 'even-lb' });
    const { serverGroup } = await cloud.succeed({
      type: 'createServerGroup',
      account: 'local',
      region: 'eu-west',
      application: 'hello',
      capacity: { min: 1, max: 1, desired: 1 },
      launch: helloLaunch('3.0.0'),
      loadBalancers: ['even-lb'],
    });
    assert.equal(serverGroup!.name, 'hello-v000', 'sequences are per region');
    await cloud.waitForGroup('hello-v000', (g) => upCount(g) === 1, 'an Up instance', 'eu-west');
    const answer = (await (await fetch(`http://${loadBalancer!.address}`)).json()) as { version: string };
    assert.equal(answer.version, '3.0.0');
    assert.equal((await cloud.describe('local', 'eu-west')).serverGroups.length, 1);
  });
});

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { after, before, describe, test } from 'node:test';
import { helloLaunch, startLocalCloud, upCount, type LocalCloudUnderTest } from './support/localcloud.js';
import { sendRequests } from './support/load.js';
import { defineTrafficScenarios } from './support/traffic-scenarios.js';

// CI installs haproxy (.ci/run); elsewhere: apt-get install haproxy.
const haproxy = spawnSync('haproxy', ['-v'], { encoding: 'utf8' });
if (haproxy.status !== 0) throw new Error('haproxy is not installed: apt-get install haproxy (as .ci/run does) to run these tests');

let cloud: LocalCloudUnderTest;
before(async () => {
  cloud = await startLocalCloud({ config: { localCloud: { loadBalancer: 'haproxy' } } });
});
after(async () => {
  await cloud?.stop();
});

describe('local cloud traffic (HAProxy load balancer, runtime API)', () => {
  test('the daemon reports the HAProxy backend', async () => {
    const info = (await (await fetch(`${cloud.url}/v1/info`)).json()) as { loadBalancer: string };
    assert.equal(info.loadBalancer, 'haproxy');
  });

  defineTrafficScenarios(() => cloud);

  test("metrics count HAProxy's answers per server group and status class", async () => {
    const where = { account: 'local', region: 'us-east' } as const;
    const { loadBalancer } = await cloud.succeed({ type: 'upsertLoadBalancer', ...where, name: 'counted-lb' });
    const { serverGroup } = await cloud.succeed({
      type: 'createServerGroup',
      ...where,
      application: 'counted',
      capacity: { min: 0, max: 2, desired: 2 },
      launch: helloLaunch(),
      loadBalancers: ['counted-lb'],
    });
    await cloud.waitForGroup(serverGroup!.name, (group) => upCount(group) === 2, '2 Up instances');
    await sendRequests(`http://${loadBalancer!.address}`, 9);
    const labels = 'account="local",region="us-east",load_balancer="counted-lb",server_group="counted-v000"';
    const first = await (await fetch(`${cloud.url}/metrics`)).text();
    assert.match(first, new RegExp(`gennaker_lb_requests_total\\{${labels},code="2xx"\\} 9\\n`));
    await sendRequests(`http://${loadBalancer!.address}`, 3);
    const second = await (await fetch(`${cloud.url}/metrics`)).text();
    assert.match(second, new RegExp(`gennaker_lb_requests_total\\{${labels},code="2xx"\\} 12\\n`), 'counters only grow');
  });

  test('latency chaos is refused with a clear error: it needs the builtin balancer', async () => {
    await cloud.succeed({ type: 'upsertLoadBalancer', account: 'local', region: 'us-east', name: 'slow-lb' });
    const answer = await cloud.post('/v1/chaos/latency', { account: 'local', region: 'us-east', loadBalancer: 'slow-lb', ms: 100 });
    assert.equal(answer.status, 409);
    assert.match((answer.body as { error: { message: string } }).error.message, /needs the builtin load balancer/);
  });
});

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { after, before, describe, test } from 'node:test';
import { startLocalCloud, type LocalCloudUnderTest } from './support/localcloud.js';
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

  test('latency chaos is refused with a clear error: it needs the builtin balancer', async () => {
    await cloud.succeed({ type: 'upsertLoadBalancer', account: 'local', region: 'us-east', name: 'slow-lb' });
    const answer = await cloud.post('/v1/chaos/latency', { account: 'local', region: 'us-east', loadBalancer: 'slow-lb', ms: 100 });
    assert.equal(answer.status, 409);
    assert.match((answer.body as { error: { message: string } }).error.message, /needs the builtin load balancer/);
  });
});

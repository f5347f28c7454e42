import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { helloServerGroup, startDeployHarness, upCount, type DeployHarness } from './support/deploy-harness.js';
import { failures, steadyLoad } from './support/steady-load.js';

describe('createServerGroup and deploy on the local cloud', () => {
  let harness: DeployHarness;
  before(async () => {
    harness = await startDeployHarness();
  });
  after(async () => {
    await harness?.stop();
  });

  test('deploy creates one server group per cluster and region in parallel, each Up, with Spinnaker’s outputs', async () => {
    const { region: _region, ...cluster } = helloServerGroup('1.0.0', { stack: 'multi', capacity: { min: 1, max: 1, desired: 1 }, loadBalancers: [] }).context;
    const done = await harness.orchestrate('hello', [{ type: 'deploy', name: 'Deploy', context: { clusters: [{ ...cluster, availabilityZones: { 'us-east': [], 'eu-west': [] } }] } }], 'deploy two regions');
    assert.equal(done.execution.status, 'SUCCEEDED');
    const creates = done.stages.filter((stage) => stage.type === 'createServerGroup');
    assert.deepEqual(creates.map((stage) => stage.outputs['deploy.server.groups']).sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b))), [
      { 'eu-west': ['hello-multi-v000'] },
      { 'us-east': ['hello-multi-v000'] },
    ]);
    for (const region of ['us-east', 'eu-west']) {
      const group = harness.inventory.serverGroup('local', region, 'hello-multi-v000');
      assert.equal(upCount(group), 1, `${region}: the new group is Up`);
      assert.equal(group?.launch.artifact.version, '1.0.0');
    }
    const second = await harness.orchestrate('hello', [helloServerGroup('1.0.1', { stack: 'multi', capacity: { min: 1, max: 1, desired: 1 }, loadBalancers: [] })], 'second push');
    const create = second.stages.find((stage) => stage.type === 'createServerGroup')!;
    assert.equal(create.outputs['deployedServerGroup'], 'hello-multi-v001');
    assert.deepEqual(create.outputs['source'], { account: 'local', region: 'us-east', serverGroupName: 'hello-multi-v000', asgName: 'hello-multi-v000' });
  });

  test('a quarantined version is refused, naming version, who and why, until it is released', async () => {
    await harness.store.quarantine.quarantine({ application: 'hello', artifact: 'hello', version: '6.6.6', reason: 'leaks memory', quarantinedBy: 'bob', quarantinedAt: 1 });
    const refused = await harness.orchestrate('hello', [helloServerGroup('6.6.6', { stack: 'quarantine', loadBalancers: [], capacity: { min: 1, max: 1, desired: 1 } })], 'deploy quarantined');
    assert.equal(refused.execution.status, 'TERMINAL');
    const stage = refused.stages.find((candidate) => candidate.type === 'createServerGroup')!;
    assert.equal(stage.failure?.code, 'GNK_E_QUARANTINED');
    assert.equal(stage.failure?.message, 'hello version 6.6.6 is quarantined for application hello by bob: leaks memory; release it before deploying it');
    assert.deepEqual(harness.inventory.region('local', 'us-east').serverGroups.filter((group) => group.cluster === 'hello-quarantine'), [], 'nothing was created');

    assert.equal(await harness.store.quarantine.release('hello', 'hello', '6.6.6'), true);
    const released = await harness.orchestrate('hello', [helloServerGroup('6.6.6', { stack: 'quarantine', loadBalancers: [], capacity: { min: 1, max: 1, desired: 1 } })], 'deploy released');
    assert.equal(released.execution.status, 'SUCCEEDED');
  });

  test('a crash-looping v3 fails the deploy naming the cause; v2 keeps serving with 0 failed requests; rollback.onFailure removes v3', async () => {
    const url = await harness.balancer('crash-lb');
    const v2 = await harness.orchestrate('hello', [helloServerGroup('2.0.0', { stack: 'crash', loadBalancers: ['crash-lb'] })], 'deploy v2');
    assert.equal(v2.execution.status, 'SUCCEEDED');
    const load = steadyLoad(url, 250);
    await sleep(1000);
    const v3 = await harness.orchestrate('hello', [
      helloServerGroup('3.0.0', { stack: 'crash', loadBalancers: ['crash-lb'], env: { HELLO_FAIL_START: 'true' }, rollback: { onFailure: true, destroyLatest: true } }),
    ], 'deploy bad v3');
    const answers = await load.stop();
    assert.equal(v3.execution.status, 'TERMINAL');
    const create = v3.stages.find((stage) => stage.type === 'createServerGroup')!;
    assert.equal(create.failure?.code, 'GNK_E_SERVER_GROUP_UNHEALTHY');
    assert.match(create.failure?.message ?? '', /^server group hello-crash-v001 is crash-looping \(\d+ instances exited\): 0 of 2 instances Up; .*Down: exited with code 1/);
    const rollback = v3.stages.find((stage) => stage.type === 'rollbackCluster')!;
    assert.equal(rollback.status, 'SUCCEEDED');
    assert.deepEqual(rollback.context['rollbacks'], [{ region: 'us-east', latest: 'hello-crash-v001', restore: 'hello-crash-v000' }]);
    assert.equal(harness.inventory.serverGroup('local', 'us-east', 'hello-crash-v001'), undefined, 'v3 is destroyed');
    assert.equal(harness.inventory.serverGroup('local', 'us-east', 'hello-crash-v000')?.enabled, true);
    const perSecond = answers.length / (load.elapsed() / 1000);
    assert.ok(perSecond >= 200, `load was sustained at ≥ 200 req/s (${perSecond.toFixed(0)})`);
    assert.deepEqual(failures(answers), []);
    assert.deepEqual([...new Set(answers.map((answer) => answer.version))], ['2.0.0']);
  });

  // The local cloud counts a booting instance's failed probes only after its 10 s start-up grace.
  test('instances failing their health check fail the deploy at its timeout, naming each instance and why', async () => {
    const done = await harness.orchestrate('hello', [
      helloServerGroup('4.0.0', { stack: 'unhealthy', loadBalancers: [], env: { HELLO_UNHEALTHY: 'true' }, waitForUpTimeoutSec: 12 }),
    ], 'deploy unhealthy');
    assert.equal(done.execution.status, 'TERMINAL');
    const create = done.stages.find((stage) => stage.type === 'createServerGroup')!;
    assert.equal(create.failure?.code, 'GNK_E_SERVER_GROUP_UNHEALTHY');
    assert.match(create.failure?.message ?? '', /^server group hello-unhealthy-v000: 0 of 2 instances Up; i-\d+ Down: failing health checks \(\/health\); i-\d+ Down: failing health checks \(\/health\) after 12 s$/);
  });

  test('waves: us-east, then a wait, then eu-west, one after the other', async () => {
    const wave = (region: string) => helloServerGroup('5.0.0', { stack: 'waves', region, loadBalancers: [], capacity: { min: 1, max: 1, desired: 1 } });
    const done = await harness.orchestrate('hello', [wave('us-east'), { type: 'wait', name: 'Between waves', context: { waitTime: 1 } }, wave('eu-west')], 'waves');
    assert.equal(done.execution.status, 'SUCCEEDED');
    const [east, between, west] = ['1', '2', '3'].map((refId) => done.stages.find((stage) => stage.refId === refId)!);
    assert.ok(east!.endTime! <= between!.startTime! && between!.endTime! <= west!.startTime!, 'each wave starts after the one before has ended');
    assert.ok(between!.endTime! - between!.startTime! >= 1000);
    const eastGroup = harness.inventory.serverGroup('local', 'us-east', 'hello-waves-v000')!;
    const westGroup = harness.inventory.serverGroup('local', 'eu-west', 'hello-waves-v000')!;
    assert.ok(westGroup.createdAt >= eastGroup.createdAt + 1000, 'eu-west was created after the wait');
    assert.equal(upCount(eastGroup), 1);
    assert.equal(upCount(westGroup), 1);
  });
});

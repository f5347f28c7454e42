import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Stage } from '../src/core/execution/index.js';
import { helloServerGroup, startDeployHarness, type DeployHarness } from './support/deploy-harness.js';
import { failures, shareOf, steadyLoad, type SteadyLoad } from './support/steady-load.js';

const rate = 250;

function clusterGroups(harness: DeployHarness, cluster: string) {
  return harness.inventory.region('local', 'us-east').serverGroups.filter((group) => group.cluster === cluster);
}

function assertSustained(load: SteadyLoad, count: number): void {
  const perSecond = count / (load.elapsed() / 1000);
  assert.ok(perSecond >= 200, `load was sustained at ≥ 200 req/s (${perSecond.toFixed(0)})`);
}

/** Load time (ms since the load started) of an epoch time, e.g. a stage's start. */
function loadTime(loadStartedAt: number, epochMs: number): number {
  return epochMs - loadStartedAt;
}

function weightStages(stages: readonly Stage[]): Stage[] {
  return stages.filter((stage) => stage.type === 'setTrafficWeights').sort((a, b) => (a.startTime ?? 0) - (b.startTime ?? 0));
}

describe('deploy strategies under live traffic on the local cloud', () => {
  let harness: DeployHarness;
  before(async () => {
    harness = await startDeployHarness();
  });
  after(async () => {
    await harness?.stop();
  });

  test('red/black v1 → v2 under load: 0 failed requests, all traffic on v2, v1 disabled and scaled down; maxRemainingAsgs keeps 2 groups', async () => {
    const url = await harness.balancer('rb-lb');
    const redblack = (version: string) => helloServerGroup(version, { stack: 'rb', loadBalancers: ['rb-lb'], strategy: 'redblack', maxRemainingAsgs: 2, scaleDown: true });
    assert.equal((await harness.orchestrate('hello', [redblack('1.0.0')], 'v1')).execution.status, 'SUCCEEDED');
    const load = steadyLoad(url, rate);
    await sleep(500);
    const v2 = await harness.orchestrate('hello', [redblack('2.0.0')], 'v2');
    await sleep(500);
    const answers = await load.stop();
    assert.equal(v2.execution.status, 'SUCCEEDED', JSON.stringify(v2.stages.map((stage) => [stage.type, stage.status, stage.failure])));
    assertSustained(load, answers.length);
    assert.deepEqual(failures(answers), []);
    assert.equal(answers.at(-1)?.version, '2.0.0');
    const end = answers.at(-1)!.at;
    assert.equal(shareOf(answers, '2.0.0', end - 400, end + 1), 1, 'the last answers all come from v2');
    const v1 = harness.inventory.serverGroup('local', 'us-east', 'hello-rb-v000')!;
    assert.equal(v1.enabled, false);
    assert.equal(v1.capacity.desired, 0);

    assert.equal((await harness.orchestrate('hello', [redblack('3.0.0')], 'v3')).execution.status, 'SUCCEEDED');
    assert.deepEqual(clusterGroups(harness, 'hello-rb').map((group) => group.name).sort(), ['hello-rb-v001', 'hello-rb-v002'], 'at most 2 groups remain');
  });

  test('rolling red/black 25/50/100 under load: 0 failed requests and the observed share follows each step', async () => {
    const url = await harness.balancer('roll-lb');
    const rolling = (version: string, extra: Record<string, unknown> = {}) =>
      helloServerGroup(version, { stack: 'roll', loadBalancers: ['roll-lb'], capacity: { min: 4, max: 4, desired: 4 }, ...extra });
    assert.equal((await harness.orchestrate('hello', [rolling('1.0.0')], 'v1')).execution.status, 'SUCCEEDED');
    const load = steadyLoad(url, rate);
    const loadStartedAt = Date.now() - load.elapsed();
    const v2 = await harness.orchestrate('hello', [rolling('2.0.0', { strategy: 'rollingredblack', targetPercentages: [25, 50, 100], delayBeforeCleanup: 2 })], 'v2');
    await sleep(500);
    const answers = await load.stop();
    assert.equal(v2.execution.status, 'SUCCEEDED', JSON.stringify(v2.stages.map((stage) => [stage.type, stage.status, stage.failure])));
    assertSustained(load, answers.length);
    assert.deepEqual(failures(answers), []);
    const steps = weightStages(v2.stages).filter((stage) => typeof stage.context['newServerGroupPercent'] === 'number');
    assert.deepEqual(steps.map((stage) => stage.context['newServerGroupPercent']), [25, 50, 100]);
    for (const [index, percent] of [25, 50].entries()) {
      const from = loadTime(loadStartedAt, steps[index]!.endTime!) + 200;
      const to = loadTime(loadStartedAt, steps[index + 1]!.startTime!);
      const share = shareOf(answers, '2.0.0', from, to);
      assert.ok(Math.abs(share - percent / 100) <= 0.08, `at ${percent}% the observed share of v2 was ${(share * 100).toFixed(1)}%`);
    }
    // From the 100 % step on (its stage ends once the weights are in effect), only v2 answers.
    const end = answers.at(-1)!.at;
    assert.equal(shareOf(answers, '2.0.0', loadTime(loadStartedAt, steps[2]!.endTime!) + 100, end + 1), 1);
    assert.equal(harness.inventory.serverGroup('local', 'us-east', 'hello-roll-v000')?.enabled, false);
  });

  test('canary setWeight 20, pause 5s, setWeight 100 under load: 0 failed requests and the observed shares match', async () => {
    const url = await harness.balancer('canary-lb');
    const canary = (version: string, extra: Record<string, unknown> = {}) =>
      helloServerGroup(version, { stack: 'canary', loadBalancers: ['canary-lb'], capacity: { min: 2, max: 2, desired: 2 }, ...extra });
    assert.equal((await harness.orchestrate('hello', [canary('1.0.0')], 'v1')).execution.status, 'SUCCEEDED');
    const load = steadyLoad(url, rate);
    const loadStartedAt = Date.now() - load.elapsed();
    const v2 = await harness.orchestrate('hello', [canary('2.0.0', { strategy: 'canary', steps: [{ setWeight: 20 }, { pause: { duration: '5s' } }, { setWeight: 100 }] })], 'v2');
    await sleep(300);
    const answers = await load.stop();
    assert.equal(v2.execution.status, 'SUCCEEDED', JSON.stringify(v2.stages.map((stage) => [stage.type, stage.status, stage.failure])));
    assertSustained(load, answers.length);
    assert.deepEqual(failures(answers), []);
    const pause = v2.stages.find((stage) => stage.type === 'wait')!;
    const share = shareOf(answers, '2.0.0', loadTime(loadStartedAt, pause.startTime!) + 200, loadTime(loadStartedAt, pause.endTime!));
    assert.ok(Math.abs(share - 0.2) <= 0.06, `during the pause v2 had ${(share * 100).toFixed(1)}% of traffic`);
    const end = answers.at(-1)!.at;
    assert.equal(shareOf(answers, '2.0.0', end - 200, end + 1), 1);
  });

  test('highlander leaves only the new server group', async () => {
    const highlander = (version: string) => helloServerGroup(version, { stack: 'hl', loadBalancers: [], capacity: { min: 1, max: 1, desired: 1 }, strategy: 'highlander' });
    for (const version of ['1.0.0', '2.0.0', '3.0.0']) assert.equal((await harness.orchestrate('hello', [highlander(version)], version)).execution.status, 'SUCCEEDED');
    assert.deepEqual(clusterGroups(harness, 'hello-hl').map((group) => group.name), ['hello-hl-v002']);
  });
});

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { clusterAfter } from '../../src/core/deploy/cluster-after.js';
import { selectImageSource } from '../../src/core/deploy/image-source.js';
import { notSettledReason, settledAt } from '../../src/core/deploy/instances-up.js';
import { clusterTrafficSplit, weightsInEffect } from '../../src/core/deploy/traffic-split.js';
import { trafficGuardVerdict } from '../../src/core/deploy/traffic-guards.js';
import { orchestrationBlueprint } from '../../src/core/execution/orchestration.js';
import { resizeRequestOf, resizeServerGroupStageSchema } from '../../src/core/pipeline/stage-types/resize-server-group.js';
import { setTrafficWeightsStageSchema } from '../../src/core/pipeline/stage-types/set-traffic-weights.js';
import { cloneServerGroupStageSchema, cloneSourceOf } from '../../src/core/pipeline/stage-types/clone-server-group.js';
import { waitAfterDisableSeconds } from '../../src/core/pipeline/stage-types/cloud-fields.js';
import { instance, serverGroup } from './cloud-fixtures.js';

const at = { credentials: 'local', regions: ['us-east'] };

describe('cluster state after an operation (what traffic guards judge)', () => {
  const v1 = serverGroup('app-prod-v001', { instances: [instance('app-prod-v001', 'a'), instance('app-prod-v001', 'b', { health: 'Down' })], capacity: { min: 2, max: 2, desired: 2 } });
  const v2 = serverGroup('app-prod-v002', { instances: [instance('app-prod-v002', 'c')], createdAt: 2000 });
  const guards = [{ account: 'local', stack: 'prod', enabled: true }];
  const where = { account: 'local', region: 'us-east', cluster: 'app-prod' };

  test('disable and destroy remove groups from serving; the guard refuses only when nothing Up is left', () => {
    const disabled = clusterAfter([v1, v2], { kind: 'disable', serverGroups: [v2.name] });
    assert.deepEqual(disabled.map((group) => group.enabled), [true, false]);
    assert.equal(trafficGuardVerdict(guards, where, [v1, v2], disabled, 'disableServerGroup').allowed, true);
    const both = clusterAfter(disabled, { kind: 'destroy', serverGroups: [v1.name] });
    assert.equal(both.length, 1);
    const verdict = trafficGuardVerdict(guards, where, [v1, v2], both, 'destroyServerGroup');
    assert.equal(verdict.allowed, false);
  });

  test('a resize down keeps Up instances first; terminate removes the named ones', () => {
    const resized = clusterAfter([v1], { kind: 'resize', serverGroup: v1.name, capacity: { min: 0, max: 2, desired: 1 } });
    assert.deepEqual(resized[0]?.instances.map((entry) => entry.id), ['a']);
    const zero = clusterAfter([v1], { kind: 'resize', serverGroup: v1.name, capacity: { min: 0, max: 2, desired: 0 } });
    assert.equal(trafficGuardVerdict(guards, where, [v1], zero, 'resizeServerGroup').allowed, false);
    const terminated = clusterAfter([v1], { kind: 'terminate', instanceIds: ['a'] });
    assert.deepEqual(terminated[0]?.instances.map((entry) => entry.id), ['b']);
    assert.equal(trafficGuardVerdict(guards, where, [v1], terminated, 'terminateInstances').allowed, false);
  });
});

describe('traffic split for setTrafficWeights', () => {
  const old = serverGroup('web-v001', { loadBalancers: ['lb'] });
  const older = serverGroup('web-v000', { loadBalancers: ['lb'], createdAt: 500 });
  const fresh = serverGroup('web-v002', { loadBalancers: ['lb'], createdAt: 2000 });

  test('the newest gets the percentage, the other enabled groups share the rest; null clears', () => {
    assert.deepEqual(clusterTrafficSplit([old, fresh], [old, fresh], 'lb', 20), { kind: 'weights', weights: { 'web-v002': 20, 'web-v001': 80 } });
    assert.deepEqual(clusterTrafficSplit([older, old, fresh], [older, old, fresh], 'lb', 25), {
      kind: 'weights',
      weights: { 'web-v002': 25, 'web-v001': 38, 'web-v000': 37 },
    });
    assert.deepEqual(clusterTrafficSplit([fresh], [fresh], 'lb', 20), { kind: 'weights', weights: { 'web-v002': 100 } });
    assert.deepEqual(clusterTrafficSplit([old, fresh], [old, fresh], 'lb', null), { kind: 'weights', weights: null });
    const disabledOld = { ...old, enabled: false };
    assert.deepEqual(clusterTrafficSplit([disabledOld, fresh], [disabledOld, fresh], 'lb', 40), { kind: 'weights', weights: { 'web-v002': 100 } });
  });

  test('a balancer shared with another cluster is refused, naming the other group', () => {
    const stranger = serverGroup('api-v000', { loadBalancers: ['lb'] });
    const split = clusterTrafficSplit([old, fresh], [old, fresh, stranger], 'lb', 50);
    assert.equal(split.kind, 'refused');
    assert.match(split.kind === 'refused' ? split.reason : '', /api-v000/);
  });

  test('weights are in effect when they match, absent meaning cleared', () => {
    assert.equal(weightsInEffect({ a: 1, b: 0 }, { a: 1 }), true);
    assert.equal(weightsInEffect(undefined, null), true);
    assert.equal(weightsInEffect({ a: 1 }, null), false);
    assert.equal(weightsInEffect(undefined, { a: 1 }), false);
  });
});

describe('findImageFromCluster selection', () => {
  const small = serverGroup('img-v001', { createdAt: 1000, capacity: { min: 3, max: 3, desired: 3 } });
  const large = serverGroup('img-v002', { createdAt: 2000 });
  const disabled = serverGroup('img-v003', { createdAt: 3000, enabled: false });
  const where = { cluster: 'img', region: 'local/us-east' };

  test('NEWEST, OLDEST and LARGEST among enabled groups, or all groups without onlyEnabled', () => {
    const pick = (strategy: 'NEWEST' | 'OLDEST' | 'LARGEST', onlyEnabled = true): string | undefined => {
      const found = selectImageSource([small, large, disabled], { onlyEnabled, strategy }, where);
      return found.kind === 'found' ? found.serverGroup.name : undefined;
    };
    assert.equal(pick('NEWEST'), 'img-v002');
    assert.equal(pick('NEWEST', false), 'img-v003');
    assert.equal(pick('OLDEST'), 'img-v001');
    assert.equal(pick('LARGEST'), 'img-v001');
  });

  test('FAIL refuses two different artifacts; an empty cluster names itself', () => {
    const other = { ...large, launch: { ...large.launch, artifact: { ...large.launch.artifact, version: '2.0.0' } } };
    const found = selectImageSource([small, other], { onlyEnabled: true, strategy: 'FAIL' }, where);
    assert.match(found.kind === 'missing' ? found.reason : '', /2 different artifacts/);
    const none = selectImageSource([disabled], { onlyEnabled: true, strategy: 'NEWEST' }, where);
    assert.match(none.kind === 'missing' ? none.reason : '', /cluster img in local\/us-east has no enabled server groups/);
  });
});

describe('instances settled', () => {
  test('a group settles at its desired count of ready instances; the reason names the lagging ones', () => {
    const group = serverGroup('s-v000', { instances: [instance('s-v000', 'i1'), instance('s-v000', 'i2', { health: 'Down', reason: 'health check /health answered 503' })] });
    assert.equal(settledAt(group, 1), false, 'one instance too many');
    assert.equal(settledAt(group, 2), false);
    assert.equal(settledAt({ ...group, enabled: false, instances: [instance('s-v000', 'i1', { health: 'OutOfService' })] }, 1), true);
    assert.equal(notSettledReason(group, 's-v000', 2, 60), 'server group s-v000: 1 of 2 instances Up after 60 s; i2 Down: health check /health answered 503');
  });
});

describe('stage fields', () => {
  test('resize requests from Spinnaker fields', () => {
    assert.deepEqual(resizeRequestOf(resizeServerGroupStageSchema.parse({ ...at, serverGroupName: 'a-v000', action: 'scale_down', resizeType: 'pct', scalePct: '25' })), {
      kind: 'percentage',
      direction: 'down',
      percent: 25,
    });
    assert.deepEqual(resizeRequestOf(resizeServerGroupStageSchema.parse({ ...at, serverGroupName: 'a-v000', capacity: { min: 1, max: 3, desired: 2 } })), {
      kind: 'exact',
      capacity: { min: 1, max: 3, desired: 2 },
    });
    const bad = resizeServerGroupStageSchema.safeParse({ ...at, serverGroupName: 'a-v000', capacity: { min: 3, max: 1, desired: 2 } });
    assert.equal(bad.success, false);
    assert.match(JSON.stringify(bad.error?.issues), /min ≤ desired ≤ max/);
  });

  test('setTrafficWeights needs newServerGroupPercent (null allowed); clone takes an explicit source', () => {
    assert.equal(setTrafficWeightsStageSchema.parse({ ...at, cluster: 'c', newServerGroupPercent: null }).newServerGroupPercent, null);
    const missing = setTrafficWeightsStageSchema.safeParse({ ...at, cluster: 'c' });
    assert.deepEqual(missing.error?.issues.map((issue) => issue.path.join('.')), ['newServerGroupPercent']);
    const clone = cloneServerGroupStageSchema.parse({ source: { account: 'local', region: 'eu-west', asgName: 'c-v001' } });
    assert.deepEqual(cloneSourceOf(clone), { account: 'local', region: 'eu-west', serverGroupName: 'c-v001' });
    const noName = cloneServerGroupStageSchema.safeParse({ source: { account: 'local', region: 'eu-west' } });
    assert.deepEqual(noName.error?.issues.map((issue) => issue.path.join('.')), ['source.serverGroupName']);
  });

  test('the wait after disabling defaults to 0 on the local cloud and 90 s elsewhere', () => {
    assert.equal(waitAfterDisableSeconds({ cloudProvider: 'local' }), 0);
    assert.equal(waitAfterDisableSeconds({ cloudProvider: 'aws' }), 90);
    assert.equal(waitAfterDisableSeconds({ cloudProvider: 'local', waitAfterDisableSec: 5 }), 5);
  });
});

describe('orchestration blueprint', () => {
  test('ad-hoc stages run in sequence as an ORCHESTRATION by the user', () => {
    const blueprint = orchestrationBlueprint({ id: 'x', application: 'app', description: 'Disable app-v001', user: 'ann' }, [
      { type: 'disableServerGroup', context: { a: 1 } },
      { type: 'destroyServerGroup', name: 'Destroy', context: {} },
    ]);
    assert.equal(blueprint.type, 'ORCHESTRATION');
    assert.equal(blueprint.trigger.user, 'ann');
    assert.deepEqual(blueprint.stages.map((stage) => [stage.refId, stage.name, stage.requisiteStageRefIds]), [
      ['1', 'disableServerGroup', []],
      ['2', 'Destroy', ['1']],
    ]);
  });
});

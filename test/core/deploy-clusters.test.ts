import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Capacity, ServerGroup } from '../../src/core/cloud/model.js';
import { serverGroupsToDestroy, serverGroupsToDisable, serverGroupsToScaleDown } from '../../src/core/deploy/cluster-selection.js';
import { resizedCapacity, stepDesired } from '../../src/core/deploy/resize.js';
import { normaliseTarget, resolveTarget } from '../../src/core/deploy/targets.js';
import { applicationTrafficGuardsSchema, trafficGuardVerdict, type TrafficGuard } from '../../src/core/deploy/traffic-guards.js';

/** A server group of cluster app-prod created at `createdAt`, with `up` Up instances. */
function group(name: string, createdAt: number, options: { enabled?: boolean; up?: number; desired?: number } = {}): ServerGroup {
  const up = options.up ?? 2;
  const desired = options.desired ?? up;
  return {
    account: 'local',
    region: 'us-east',
    name,
    cluster: 'app-prod',
    application: 'app',
    capacity: { min: 0, desired, max: Math.max(desired, 10) },
    enabled: options.enabled ?? true,
    launch: { artifact: { name: 'hello', version: '1', location: '/srv/hello' }, command: ['node', 'server.js'], env: {}, healthCheck: { path: '/health', intervalMs: 1000, timeoutMs: 1000, healthyThreshold: 1, unhealthyThreshold: 2 } },
    loadBalancers: ['app-prod'],
    instances: Array.from({ length: up }, (_, index) => ({ id: `${name}-i${index}`, serverGroup: name, health: 'Up' as const, address: `127.0.0.1:${9000 + index}`, launchedAt: createdAt })),
    createdAt,
  };
}

const names = (groups: readonly ServerGroup[]): string[] => groups.map((g) => g.name);

describe('dynamic targets', () => {
  // Created out of name order on purpose: a wrap from v999 to v000 makes v000 the newest.
  const groups = [group('app-prod-v998', 1), group('app-prod-v000', 3), group('app-prod-v999', 2)];

  test('current, ancestor and oldest follow creation time, not the number in the name', () => {
    const pick = (target: 'current_asg_dynamic' | 'ancestor_asg_dynamic' | 'oldest_asg_dynamic'): string => {
      const resolution = resolveTarget(groups, target, 'app-prod', 'us-east');
      assert.equal(resolution.kind, 'found');
      return resolution.kind === 'found' ? resolution.serverGroup.name : '';
    };
    assert.deepEqual([pick('current_asg_dynamic'), pick('ancestor_asg_dynamic'), pick('oldest_asg_dynamic')], ['app-prod-v000', 'app-prod-v999', 'app-prod-v998']);
  });

  test('a missing target says why, naming the cluster and region', () => {
    const none = resolveTarget([], 'current_asg_dynamic', 'app-prod', 'us-east');
    assert.deepEqual(none, { kind: 'missing', reason: 'cluster app-prod in us-east has no server groups' });
    const single = resolveTarget([group('app-prod-v001', 1)], 'ancestor_asg_dynamic', 'app-prod', 'us-east');
    assert.equal(single.kind, 'missing');
    assert.match(single.kind === 'missing' ? single.reason : '', /no server group older than its newest \(app-prod-v001\)/);
  });

  test('legacy target names mean the dynamic ones; anything else is not a target', () => {
    assert.equal(normaliseTarget('current_asg'), 'current_asg_dynamic');
    assert.equal(normaliseTarget('ancestor_asg'), 'ancestor_asg_dynamic');
    assert.equal(normaliseTarget('oldest_asg_dynamic'), 'oldest_asg_dynamic');
    assert.equal(normaliseTarget('newest'), undefined);
  });
});

describe('cluster-wide selection', () => {
  const v1 = group('app-prod-v001', 1, { up: 4 });
  const v2 = group('app-prod-v002', 2, { enabled: false, up: 2 });
  const v3 = group('app-prod-v003', 3, { up: 2 });

  test('disableCluster leaves the N newest enabled groups (disabled ones do not count)', () => {
    assert.deepEqual(names(serverGroupsToDisable([v1, v2, v3], { remainingEnabledServerGroups: 1, preferLargerOverNewer: false })), ['app-prod-v001']);
    assert.deepEqual(names(serverGroupsToDisable([v1, v2, v3], { remainingEnabledServerGroups: 2, preferLargerOverNewer: false })), []);
  });

  test('disableCluster can prefer the larger group', () => {
    assert.deepEqual(names(serverGroupsToDisable([v1, v2, v3], { remainingEnabledServerGroups: 1, preferLargerOverNewer: true })), ['app-prod-v003']);
  });

  test('scaleDownCluster skips groups taking traffic unless allowed, and groups already at 0', () => {
    const empty = group('app-prod-v000', 0, { enabled: false, up: 0, desired: 0 });
    const options = { remainingFullSizeServerGroups: 1, preferLargerOverNewer: false, allowScaleDownActive: false };
    assert.deepEqual(names(serverGroupsToScaleDown([empty, v1, v2, v3], options)), ['app-prod-v002']);
    assert.deepEqual(names(serverGroupsToScaleDown([empty, v1, v2, v3], { ...options, allowScaleDownActive: true })), ['app-prod-v002', 'app-prod-v001']);
  });

  test('shrinkCluster keeps the N newest and destroys active groups only when allowed (highlander)', () => {
    const keepTwo = { shrinkToSize: 2, allowDeleteActive: false, retainLargerOverNewer: false };
    assert.deepEqual(names(serverGroupsToDestroy([v1, v2, v3], keepTwo)), []);
    assert.deepEqual(names(serverGroupsToDestroy([v1, v2, v3], { ...keepTwo, shrinkToSize: 1 })), ['app-prod-v002']);
    assert.deepEqual(names(serverGroupsToDestroy([v1, v2, v3], { ...keepTwo, shrinkToSize: 1, allowDeleteActive: true })), ['app-prod-v002', 'app-prod-v001']);
    assert.deepEqual(names(serverGroupsToDestroy([v1, v2, v3], { shrinkToSize: 1, allowDeleteActive: true, retainLargerOverNewer: true })), ['app-prod-v003', 'app-prod-v002']);
  });
});

describe('resize', () => {
  const current: Capacity = { min: 2, desired: 4, max: 8 };

  test('exact, by percentage (rounded up) and by number, never below 0', () => {
    assert.deepEqual(resizedCapacity(current, { kind: 'exact', capacity: { min: 1, desired: 1, max: 1 } }), { min: 1, desired: 1, max: 1 });
    assert.deepEqual(resizedCapacity(current, { kind: 'percentage', direction: 'up', percent: 50 }), { min: 3, desired: 6, max: 12 });
    assert.deepEqual(resizedCapacity(current, { kind: 'percentage', direction: 'down', percent: 30 }), { min: 1, desired: 2, max: 5 });
    assert.deepEqual(resizedCapacity(current, { kind: 'number', direction: 'down', instances: 3 }), { min: 0, desired: 1, max: 5 });
    assert.deepEqual(resizedCapacity(current, { kind: 'number', direction: 'up', instances: 1 }), { min: 3, desired: 5, max: 9 });
  });

  test('a rolling step runs its share of the final size, rounded up, at least one instance', () => {
    assert.deepEqual([0, 1, 25, 50, 99, 100].map((percent) => stepDesired(4, percent)), [0, 1, 1, 2, 4, 4]);
    assert.equal(stepDesired(10, 33), 4);
  });
});

describe('traffic guards', () => {
  const guard: TrafficGuard = { account: 'local', location: 'us-east', stack: 'prod', enabled: true };
  const where = { account: 'local', region: 'us-east', cluster: 'app-prod' };
  const serving = group('app-prod-v001', 1, { up: 2 });
  const disabled = { ...serving, enabled: false };

  test('refuses leaving a guarded cluster with no Up instances in enabled groups, naming the cluster', () => {
    const verdict = trafficGuardVerdict([guard], where, [serving], [disabled], 'disableServerGroup app-prod-v001');
    assert.equal(verdict.allowed, false);
    assert.match(verdict.allowed ? '' : verdict.reason, /disableServerGroup app-prod-v001 refused: cluster app-prod in local\/us-east has traffic guards/);
  });

  test('allows it when another enabled group still serves, when the cluster serves nothing already, or when no guard matches', () => {
    const other = group('app-prod-v002', 2, { up: 1 });
    assert.equal(trafficGuardVerdict([guard], where, [serving, other], [disabled, other], 'disable').allowed, true);
    assert.equal(trafficGuardVerdict([guard], where, [disabled], [disabled], 'destroy').allowed, true);
    assert.equal(trafficGuardVerdict([{ ...guard, enabled: false }], where, [serving], [disabled], 'disable').allowed, true);
    assert.equal(trafficGuardVerdict([{ ...guard, location: 'eu-west' }], where, [serving], [disabled], 'disable').allowed, true);
    assert.equal(trafficGuardVerdict([{ ...guard, stack: 'staging' }], where, [serving], [disabled], 'disable').allowed, true);
    assert.equal(trafficGuardVerdict([{ ...guard, location: '*' }], where, [serving], [disabled], 'disable').allowed, false);
  });
});

describe('traffic guards on an application', () => {
  test('parsed from the application attributes with enabled defaulting to true; bad ones name the field', () => {
    const parsed = applicationTrafficGuardsSchema.parse({ email: 'a@b', trafficGuards: [{ account: 'local', stack: 'prod' }] });
    assert.deepEqual(parsed.trafficGuards, [{ account: 'local', stack: 'prod', enabled: true }]);
    assert.deepEqual(applicationTrafficGuardsSchema.parse({}).trafficGuards, []);
    const bad = applicationTrafficGuardsSchema.safeParse({ trafficGuards: [{ stack: 'prod' }] });
    assert.equal(bad.success, false);
    assert.deepEqual(bad.error?.issues[0]?.path, ['trafficGuards', 0, 'account']);
  });
});

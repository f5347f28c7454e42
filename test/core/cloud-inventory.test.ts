import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  changedResource,
  diffRegion,
  groupByApplication,
  jsonEqual,
  resourceChangeOf,
  writeThroughChanges,
  type CloudOperation,
  type RegionSnapshot,
} from '../../src/core/cloud/index.js';
import { instance, loadBalancer, serverGroup } from './cloud-fixtures.js';

const where = { account: 'local', region: 'us-east' };

function region(partial: Partial<RegionSnapshot>): RegionSnapshot {
  return { ...where, serverGroups: [], loadBalancers: [], ...partial };
}

describe('jsonEqual', () => {
  test('compares structure, not identity or key order', () => {
    assert.equal(jsonEqual({ a: 1, b: [1, { c: 'x' }] }, { b: [1, { c: 'x' }], a: 1 }), true);
    assert.equal(jsonEqual({ a: 1 }, { a: 2 }), false);
    assert.equal(jsonEqual({ a: 1 }, { a: 1, b: 2 }), false);
    assert.equal(jsonEqual([1, 2], [2, 1]), false);
    assert.equal(jsonEqual([], {}), false);
    assert.equal(jsonEqual(null, {}), false);
    assert.equal(jsonEqual(undefined, { a: 1 }), false);
  });

  test('an absent key equals an undefined one (optional fields)', () => {
    assert.equal(jsonEqual({ a: 1, reason: undefined }, { a: 1 }), true);
  });
});

describe('diffRegion', () => {
  const v000 = serverGroup('hello-v000', { instances: [instance('hello-v000', 'i-1')] });
  const v001 = serverGroup('hello-v001');
  const lb = loadBalancer('hello-lb');

  test('identical states need no change', () => {
    const state = region({ serverGroups: [v000, v001], loadBalancers: [lb] });
    assert.deepEqual(diffRegion(state, structuredClone(state)), []);
  });

  test('new, changed and vanished resources become upserts and removals', () => {
    const known = region({ serverGroups: [v000, v001], loadBalancers: [lb] });
    const resized = { ...v000, capacity: { min: 1, max: 3, desired: 3 } };
    const v002 = serverGroup('hello-v002');
    const otherLb = loadBalancer('other-lb');
    const actual = region({ serverGroups: [resized, v002], loadBalancers: [otherLb] });
    assert.deepEqual(diffRegion(known, actual), [
      { kind: 'serverGroupUpserted', serverGroup: resized },
      { kind: 'serverGroupUpserted', serverGroup: v002 },
      { kind: 'serverGroupRemoved', ...where, name: 'hello-v001' },
      { kind: 'loadBalancerUpserted', loadBalancer: otherLb },
      { kind: 'loadBalancerRemoved', ...where, name: 'hello-lb' },
    ]);
  });

  test('an instance changing health changes its server group', () => {
    const known = region({ serverGroups: [v000] });
    const down = { ...v000, instances: [instance('hello-v000', 'i-1', { health: 'Down', reason: 'exited' })] };
    assert.deepEqual(diffRegion(known, region({ serverGroups: [down] })), [{ kind: 'serverGroupUpserted', serverGroup: down }]);
  });

  test('resources changed by events during the description are left alone', () => {
    const known = region({ serverGroups: [v000, v001], loadBalancers: [lb] });
    const skip = new Set(['serverGroup:local/us-east/hello-v001', 'loadBalancer:local/us-east/hello-lb']);
    assert.deepEqual(diffRegion(known, region({ serverGroups: [v000] }), skip), []);
  });
});

describe('writeThroughChanges', () => {
  const create: CloudOperation = {
    type: 'createServerGroup',
    ...where,
    application: 'hello',
    capacity: { min: 1, max: 1, desired: 1 },
    launch: serverGroup('hello-v000').launch,
    loadBalancers: [],
    enabled: true,
  };
  const destroy: CloudOperation = { type: 'destroyServerGroup', ...where, serverGroup: 'hello-v000' };

  test('a succeeded operation applies the resources it returned', () => {
    const group = serverGroup('hello-v000');
    assert.deepEqual(writeThroughChanges(create, { state: 'succeeded', clientToken: 't', serverGroup: group }), [
      { kind: 'serverGroupUpserted', serverGroup: group },
    ]);
    const lb = loadBalancer('hello-lb');
    assert.deepEqual(
      writeThroughChanges({ type: 'upsertLoadBalancer', ...where, name: 'hello-lb' }, { state: 'succeeded', clientToken: 't', loadBalancer: lb }),
      [{ kind: 'loadBalancerUpserted', loadBalancer: lb }],
    );
  });

  test('a removal is placed in the operation’s account and region', () => {
    assert.deepEqual(
      writeThroughChanges(destroy, { state: 'succeeded', clientToken: 't', removed: { kind: 'serverGroup', name: 'hello-v000' } }),
      [{ kind: 'serverGroupRemoved', ...where, name: 'hello-v000' }],
    );
    assert.deepEqual(
      writeThroughChanges(
        { type: 'deleteLoadBalancer', ...where, name: 'lb' },
        { state: 'succeeded', clientToken: 't', removed: { kind: 'loadBalancer', name: 'lb' } },
      ),
      [{ kind: 'loadBalancerRemoved', ...where, name: 'lb' }],
    );
  });

  test('running and failed operations tell nothing yet', () => {
    assert.deepEqual(writeThroughChanges(create, { state: 'running', clientToken: 't' }), []);
    assert.deepEqual(writeThroughChanges(create, { state: 'failed', clientToken: 't', code: 'GNK_E_INTERNAL', message: 'x' }), []);
  });
});

describe('resourceChangeOf and changedResource', () => {
  test('drops the sequence number and operation bookkeeping', () => {
    const group = serverGroup('hello-v000');
    assert.deepEqual(resourceChangeOf({ kind: 'serverGroupUpserted', seq: 4, serverGroup: group }), {
      kind: 'serverGroupUpserted',
      serverGroup: group,
    });
    assert.deepEqual(resourceChangeOf({ kind: 'loadBalancerRemoved', seq: 5, ...where, name: 'lb' }), {
      kind: 'loadBalancerRemoved',
      ...where,
      name: 'lb',
    });
    assert.equal(resourceChangeOf({ kind: 'operationFinished', seq: 6, status: { state: 'running', clientToken: 't' } }), undefined);
  });

  test('an upsert and a removal of one resource name the same key', () => {
    assert.equal(
      changedResource({ kind: 'serverGroupUpserted', serverGroup: serverGroup('hello-v000') }),
      changedResource({ kind: 'serverGroupRemoved', ...where, name: 'hello-v000' }),
    );
    assert.notEqual(
      changedResource({ kind: 'loadBalancerRemoved', ...where, name: 'hello-v000' }),
      changedResource({ kind: 'serverGroupRemoved', ...where, name: 'hello-v000' }),
    );
  });
});

describe('groupByApplication', () => {
  test('clusters group server groups by account and moniker cluster across regions, oldest first', () => {
    const groups = [
      serverGroup('hello-v001', { createdAt: 2000 }),
      serverGroup('hello-v000', { createdAt: 1000, region: 'eu-west' }),
      serverGroup('hello-v000', { createdAt: 1000 }),
      serverGroup('hello-prod-v007', { account: 'prod' }),
      serverGroup('hello-prod-v008', { account: 'local' }),
      serverGroup('billing-v003'),
    ];
    const view = groupByApplication(groups);
    assert.deepEqual(
      view.map((app) => ({
        name: app.name,
        clusters: app.clusters.map((cluster) => `${cluster.account}:${cluster.name}=${cluster.serverGroups.map((g) => `${g.region}/${g.name}`).join(',')}`),
      })),
      [
        { name: 'billing', clusters: ['local:billing=us-east/billing-v003'] },
        {
          name: 'hello',
          clusters: [
            'local:hello=eu-west/hello-v000,us-east/hello-v000,us-east/hello-v001',
            'local:hello-prod=us-east/hello-prod-v008',
            'prod:hello-prod=us-east/hello-prod-v007',
          ],
        },
      ],
    );
  });

  test('the latest push wraps: v000 created after v999 comes last', () => {
    const view = groupByApplication([serverGroup('hello-v000', { createdAt: 9000 }), serverGroup('hello-v999', { createdAt: 8000 })]);
    assert.deepEqual(view[0]!.clusters[0]!.serverGroups.map((group) => group.name), ['hello-v999', 'hello-v000']);
  });
});

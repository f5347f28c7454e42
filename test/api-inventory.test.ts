import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Principal } from '../src/core/auth/model.js';
import { instance, loadBalancer, serverGroup } from './core/cloud-fixtures.js';
import { bodyOf, errorOf, paths } from './support/api-assertions.js';
import { roleAccess, startApiHarness, type ApiHarness } from './support/api-harness.js';

interface Named {
  name: string;
  application?: string;
  instances?: { id: string }[];
}

const serverGroups = [
  serverGroup('shop-prod-v001', { createdAt: 1, instances: [instance('shop-prod-v001', 'i-1'), instance('shop-prod-v001', 'i-2')] }),
  serverGroup('shop-prod-v002', { createdAt: 2 }),
  serverGroup('shop-canary-v001', { region: 'eu-west' }),
  serverGroup('shop-prod-v001', { account: 'prod' }),
  serverGroup('vault-v001'),
];
const loadBalancers = [loadBalancer('shop-frontend'), loadBalancer('vault'), loadBalancer('shop', { account: 'prod' })];

describe('inventory API', () => {
  const viewer: Principal = { name: 'vic', kind: 'user', roles: ['dev'], admin: false, via: 'session' };
  let harness: ApiHarness;
  before(async () => {
    harness = await startApiHarness({ access: roleAccess(viewer, () => harness.store, { local: ['READ'] }), serverGroups, loadBalancers });
    await harness.store.applications.create('shop', { email: 's@example.com', permissions: { READ: ['dev'] } });
    await harness.store.applications.create('vault', { email: 'v@example.com', permissions: { READ: ['security'] } });
  });
  after(() => harness.stop());

  test('accounts: only those the caller may read, with their regions', async () => {
    const body = bodyOf<{ accounts: unknown[] }>(await harness.request('GET', '/api/accounts'), 200);
    assert.deepEqual(body.accounts, [{ name: 'local', provider: 'fixed', regions: ['us-east', 'eu-west'] }]);
  });

  test("an application's clusters, server groups and load balancers", async () => {
    const clusters = bodyOf<{ clusters: { account: string; name: string; serverGroups: Named[] }[] }>(await harness.request('GET', '/api/applications/shop/clusters'), 200);
    assert.deepEqual(
      clusters.clusters.map((cluster) => [cluster.account, cluster.name, cluster.serverGroups.map((group) => group.name)]),
      [
        ['local', 'shop-canary', ['shop-canary-v001']],
        ['local', 'shop-prod', ['shop-prod-v001', 'shop-prod-v002']],
        ['prod', 'shop-prod', ['shop-prod-v001']],
      ],
    );
    const groups = bodyOf<{ serverGroups: Named[] }>(await harness.request('GET', '/api/applications/shop/serverGroups'), 200);
    assert.equal(groups.serverGroups.length, 4);
    assert.ok(groups.serverGroups.every((group) => group.application === 'shop'));
    const balancers = bodyOf<{ loadBalancers: Named[] }>(await harness.request('GET', '/api/applications/shop/loadBalancers'), 200);
    assert.deepEqual(balancers.loadBalancers.map((balancer) => balancer.name).sort(), ['shop', 'shop-frontend']);
  });

  test('one server group with its instances; unknown ones and ones of another application are 404', async () => {
    const group = bodyOf<Named>(await harness.request('GET', '/api/applications/shop/serverGroups/local/us-east/shop-prod-v001'), 200);
    assert.deepEqual(group.instances?.map((item) => item.id), ['i-1', 'i-2']);
    errorOf(await harness.request('GET', '/api/applications/shop/serverGroups/local/us-east/shop-prod-v009'), 404, 'GNK_E_NOT_FOUND');
    errorOf(await harness.request('GET', '/api/applications/shop/serverGroups/local/eu-west/shop-prod-v001'), 404, 'GNK_E_NOT_FOUND');
  });

  test('global lists hold only applications the caller may read; another application is forbidden', async () => {
    const groups = bodyOf<{ serverGroups: Named[] }>(await harness.request('GET', '/api/serverGroups'), 200);
    assert.deepEqual([...new Set(groups.serverGroups.map((group) => group.application))], ['shop']);
    assert.equal(groups.serverGroups.length, 4);
    const balancers = bodyOf<{ loadBalancers: Named[] }>(await harness.request('GET', '/api/loadBalancers'), 200);
    assert.deepEqual(balancers.loadBalancers.map((balancer) => balancer.name).sort(), ['shop', 'shop-frontend']);
    errorOf(await harness.request('GET', '/api/applications/vault/serverGroups'), 403, 'GNK_E_FORBIDDEN');
    errorOf(await harness.request('GET', '/api/inventory'), 403, 'GNK_E_FORBIDDEN');
  });
});

describe('inventory API for an administrator', () => {
  let harness: ApiHarness;
  before(async () => {
    harness = await startApiHarness({ serverGroups, loadBalancers });
  });
  after(() => harness.stop());

  test('sees every application, account and resource; an application with nothing deployed has empty lists', async () => {
    assert.equal(bodyOf<{ serverGroups: Named[] }>(await harness.request('GET', '/api/serverGroups'), 200).serverGroups.length, 5);
    assert.equal(bodyOf<{ loadBalancers: Named[] }>(await harness.request('GET', '/api/loadBalancers'), 200).loadBalancers.length, 3);
    assert.equal(bodyOf<{ accounts: unknown[] }>(await harness.request('GET', '/api/accounts'), 200).accounts.length, 2);
    assert.deepEqual(bodyOf(await harness.request('GET', '/api/applications/empty/clusters'), 200), { clusters: [] });
    assert.deepEqual(bodyOf(await harness.request('GET', '/api/applications/empty/serverGroups'), 200), { serverGroups: [] });
    const everything = bodyOf<{ serverGroups: Named[]; loadBalancers: Named[] }>(await harness.request('GET', '/api/inventory'), 200);
    assert.equal(everything.serverGroups.length, 5);
    assert.deepEqual(paths(await harness.request('GET', '/api/applications/Shop/serverGroups')), ['params.application']);
  });
});

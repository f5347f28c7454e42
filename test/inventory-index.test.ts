import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { InventoryIndex } from '../src/inventory/inventory-index.js';
import { loadBalancer, serverGroup } from './core/cloud-fixtures.js';

const names = (resources: readonly { account: string; region: string; name: string }[]): string[] => resources.map((resource) => `${resource.account}/${resource.region}/${resource.name}`);

describe('the inventory index by application', () => {
  test("an application's server groups and load balancers, sorted, without the others'", () => {
    const index = new InventoryIndex();
    for (const group of [serverGroup('shop-v002'), serverGroup('vault-v001'), serverGroup('shop-v001'), serverGroup('shop-v001', { account: 'prod' })]) {
      assert.equal(index.apply({ kind: 'serverGroupUpserted', serverGroup: group }), true);
    }
    for (const balancer of [loadBalancer('shop-frontend'), loadBalancer('shop'), loadBalancer('vault')]) index.apply({ kind: 'loadBalancerUpserted', loadBalancer: balancer });
    assert.deepEqual(names(index.serverGroupsOf('shop')), ['local/us-east/shop-v001', 'local/us-east/shop-v002', 'prod/us-east/shop-v001']);
    assert.deepEqual(names(index.loadBalancersOf('shop')), ['local/us-east/shop', 'local/us-east/shop-frontend']);
    assert.deepEqual(index.serverGroupsOf('nothing'), []);
    assert.equal(index.serverGroups().length, 4);
  });

  test('the same state again changes nothing; an update replaces; a removal leaves the application and the full list', () => {
    const index = new InventoryIndex();
    const group = serverGroup('shop-v001');
    index.apply({ kind: 'serverGroupUpserted', serverGroup: group });
    assert.deepEqual(index.serverGroups().map((each) => each.name), ['shop-v001']);
    assert.equal(index.apply({ kind: 'serverGroupUpserted', serverGroup: { ...group } }), false);
    assert.equal(index.apply({ kind: 'serverGroupUpserted', serverGroup: { ...group, enabled: false } }), true);
    assert.equal(index.serverGroupsOf('shop')[0]?.enabled, false);
    assert.equal(index.serverGroups()[0]?.enabled, false);
    assert.equal(index.apply({ kind: 'serverGroupRemoved', account: 'local', region: 'us-east', name: 'shop-v001' }), true);
    assert.equal(index.apply({ kind: 'serverGroupRemoved', account: 'local', region: 'us-east', name: 'shop-v001' }), false);
    assert.deepEqual(index.serverGroupsOf('shop'), []);
    assert.deepEqual(index.serverGroups(), []);
  });

  test('a group whose application changes under the same name moves to the new application', () => {
    const index = new InventoryIndex();
    index.apply({ kind: 'serverGroupUpserted', serverGroup: serverGroup('shop-v001') });
    index.apply({ kind: 'serverGroupUpserted', serverGroup: serverGroup('shop-v001', { application: 'store' }) });
    assert.deepEqual(index.serverGroupsOf('shop'), []);
    assert.deepEqual(names(index.serverGroupsOf('store')), ['local/us-east/shop-v001']);
  });

  test('the lists handed out are copies: changing one changes nothing inside the index', () => {
    const index = new InventoryIndex();
    index.apply({ kind: 'serverGroupUpserted', serverGroup: serverGroup('shop-v001') });
    index.serverGroups().pop();
    index.serverGroupsOf('shop').pop();
    assert.equal(index.serverGroups().length, 1);
    assert.equal(index.serverGroupsOf('shop').length, 1);
  });
});

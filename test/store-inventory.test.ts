import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { instance, loadBalancer, serverGroup } from './core/cloud-fixtures.js';
import { engineFixtures, openAt } from './support/store-engines.js';

for (const fixture of engineFixtures()) {
  describe(`inventory repository on ${fixture.engine}`, () => {
    after(() => fixture.teardown());

    test('saves upserts and removals by kind, account, region and name, and loads them back whole', async () => {
      const location = await fixture.freshLocation();
      const store = await openAt(location);
      const v000 = serverGroup('hello-v000', { instances: [instance('hello-v000', 'i-1'), instance('hello-v000', 'i-2')] });
      const v000West = serverGroup('hello-v000', { region: 'eu-west' });
      const lb = loadBalancer('hello-v000', { weights: { 'hello-v000': 100 } });
      await store.inventory.save([
        { kind: 'serverGroupUpserted', serverGroup: v000 },
        { kind: 'serverGroupUpserted', serverGroup: v000West },
        { kind: 'loadBalancerUpserted', loadBalancer: lb },
      ]);
      const resized = { ...v000, capacity: { min: 1, max: 3, desired: 3 } };
      await store.inventory.save([
        { kind: 'serverGroupUpserted', serverGroup: resized },
        { kind: 'serverGroupRemoved', account: 'local', region: 'eu-west', name: 'hello-v000' },
      ]);
      await store.close();

      const reopened = await openAt(location);
      const loaded = await reopened.inventory.load();
      assert.deepEqual(loaded.serverGroups, [resized]);
      assert.deepEqual(loaded.loadBalancers, [lb]);
      assert.equal(loaded.unreadable, 0);
      await reopened.close();
    });

    test('a load balancer and a server group may share a name; removing one keeps the other', async () => {
      const store = await openAt(await fixture.freshLocation());
      await store.inventory.save([
        { kind: 'serverGroupUpserted', serverGroup: serverGroup('hello-v000') },
        { kind: 'loadBalancerUpserted', loadBalancer: loadBalancer('hello-v000') },
        { kind: 'loadBalancerRemoved', account: 'local', region: 'us-east', name: 'hello-v000' },
      ]);
      const loaded = await store.inventory.load();
      assert.deepEqual(loaded.serverGroups.map((group) => group.name), ['hello-v000']);
      assert.deepEqual(loaded.loadBalancers, []);
      await store.close();
    });

    test('stream cursors move with the changes, in one transaction', async () => {
      const store = await openAt(await fixture.freshLocation());
      assert.deepEqual([...(await store.inventory.load()).cursors], []);
      await store.transaction((tx) => tx.inventory.save([{ kind: 'loadBalancerUpserted', loadBalancer: loadBalancer('a') }], { provider: 'local', seq: 7 }));
      await store.inventory.save([], { provider: 'local', seq: 9 });
      await assert.rejects(
        store.transaction(async (tx) => {
          await tx.inventory.save([{ kind: 'loadBalancerUpserted', loadBalancer: loadBalancer('b') }], { provider: 'local', seq: 10 });
          throw new Error('rolled back');
        }),
        /rolled back/,
      );
      const loaded = await store.inventory.load();
      assert.deepEqual([...loaded.cursors], [['local', 9]]);
      assert.deepEqual(loaded.loadBalancers.map((balancer) => balancer.name), ['a']);
      await store.close();
    });

    test('rows that no longer parse are counted, not served', async () => {
      const store = await openAt(await fixture.freshLocation());
      await store.inventory.save([{ kind: 'serverGroupUpserted', serverGroup: serverGroup('hello-v000') }]);
      await store.db.updateTable('inventory_resources').set({ body: JSON.stringify({ name: 'hello-v000', shape: 'old' }) }).execute();
      const loaded = await store.inventory.load();
      assert.deepEqual(loaded.serverGroups, []);
      assert.equal(loaded.unreadable, 1);
      await store.close();
    });
  });
}

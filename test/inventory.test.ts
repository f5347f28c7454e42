import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { type CloudOperation, type ResourceChange, type ServerGroup } from '../src/core/cloud/index.js';
import { GennakerError } from '../src/core/errors.js';
import { Inventory } from '../src/inventory/inventory.js';
import { createLogger } from '../src/log/logger.js';
import { LocalCloudProvider } from '../src/providers/local/local-cloud-provider.js';
import { ProviderRegistry } from '../src/providers/registry.js';
import type { Store } from '../src/store/store.js';
import { serverGroup } from './core/cloud-fixtures.js';
import { helloLaunch, startLocalCloud, type LocalCloudUnderTest } from './support/localcloud.js';
import { engineFixtures, openAt } from './support/store-engines.js';

const logger = createLogger('silent');
const where = { account: 'local', region: 'us-east' };
const accounts = [{ name: 'local', provider: 'local', regions: ['us-east', 'eu-west'] }];

function inventoryOn(store: Store, cloud: LocalCloudUnderTest): Inventory {
  const registry = new ProviderRegistry([{ name: 'local', provider: new LocalCloudProvider({ url: cloud.url, logger }), accounts }]);
  return new Inventory({ store, registry, logger, reconcileIntervalMs: 60_000 });
}

/** The next change the inventory reports that satisfies `predicate`. */
function nextChange(inventory: Inventory, predicate: (change: ResourceChange) => boolean): Promise<ResourceChange> {
  return new Promise((resolve) => {
    const listener = (change: ResourceChange): void => {
      if (!predicate(change)) return;
      inventory.events.off('change', listener);
      resolve(change);
    };
    inventory.events.on('change', listener);
  });
}

function upCount(group: ServerGroup | undefined): number {
  return group?.instances.filter((instance) => instance.health === 'Up').length ?? 0;
}

for (const fixture of engineFixtures()) {
  describe(`inventory against the local cloud, stored on ${fixture.engine}`, () => {
    let cloud: LocalCloudUnderTest;
    before(async () => {
      cloud = await startLocalCloud();
    });
    after(async () => {
      await cloud?.stop();
      await fixture.teardown();
    });

    test('an operation’s result is in the inventory when it answers; later changes arrive by the stream; a restart serves the stored state and reconciles', async (t) => {
      const location = await fixture.freshLocation();
      const store = await openAt(location);
      const inventory = inventoryOn(store, cloud);
      // A failed assertion must not leave an inventory following the stream: the process would never end.
      t.after(() => inventory.stop());
      await inventory.start();
      await inventory.reconciled();

      const allUp = nextChange(inventory, (change) => change.kind === 'serverGroupUpserted' && change.serverGroup.name === 'hello-v000' && upCount(change.serverGroup) === 2);
      const createHello: CloudOperation = {
        type: 'createServerGroup',
        ...where,
        application: 'hello',
        capacity: { min: 2, max: 2, desired: 2 },
        launch: helloLaunch(),
        loadBalancers: [],
        enabled: true,
      };
      const created = await inventory.execute(`create-${fixture.engine}`, createHello);
      assert.equal(created.state, 'succeeded');
      // Write-through: visible at once, no refresh to wait for.
      assert.equal(inventory.serverGroup('local', 'us-east', 'hello-v000')?.capacity.desired, 2);
      await allUp;
      assert.equal(upCount(inventory.serverGroup('local', 'us-east', 'hello-v000')), 2);

      const again = await inventory.execute(`create-${fixture.engine}`, createHello);
      assert.deepEqual(again, created, 'the same client token answers the same result without a second group');
      assert.deepEqual(inventory.applications().map((app) => [app.name, app.clusters.map((cluster) => cluster.name)]), [['hello', ['hello']]]);
      await inventory.stop();

      // While no control plane watches: the group is resized, and the store gains a group nobody runs.
      await cloud.succeed({ type: 'resizeServerGroup', ...where, serverGroup: 'hello-v000', capacity: { min: 1, max: 1, desired: 1 } });
      await store.inventory.save([{ kind: 'serverGroupUpserted', serverGroup: serverGroup('ghost-v000') }]);

      const restarted = inventoryOn(store, cloud);
      t.after(() => restarted.stop());
      const ghostRemoved = nextChange(restarted, (change) => change.kind === 'serverGroupRemoved' && change.name === 'ghost-v000');
      await restarted.start();
      assert.ok(restarted.serverGroup('local', 'us-east', 'ghost-v000'), 'the last known state is served at start');
      await restarted.reconciled();
      await ghostRemoved;
      const actual = await cloud.describe('local', 'us-east');
      assert.deepEqual(
        restarted.region('local', 'us-east').serverGroups.map((group) => group.name),
        actual.serverGroups.map((group) => group.name),
      );
      assert.deepEqual(restarted.serverGroup('local', 'us-east', 'hello-v000')?.capacity, { min: 1, max: 1, desired: 1 });
      assert.equal(restarted.serverGroup('local', 'us-east', 'ghost-v000'), undefined);

      const destroyed = await restarted.execute(`destroy-${fixture.engine}`, { type: 'destroyServerGroup', ...where, serverGroup: 'hello-v000' });
      assert.equal(destroyed.state, 'succeeded');
      assert.equal(restarted.serverGroup('local', 'us-east', 'hello-v000'), undefined);
      await restarted.stop();
      assert.deepEqual((await store.inventory.load()).serverGroups.filter((group) => group.region === 'us-east'), []);
      await store.close();
    });

    test('an unknown account is refused by name; an unreachable daemon is a coded error', async () => {
      const store = await openAt(await fixture.freshLocation());
      const inventory = inventoryOn(store, cloud);
      await assert.rejects(
        inventory.execute('t', { type: 'destroyServerGroup', account: 'prod', region: 'us-east', serverGroup: 'x-v000' }),
        (error: unknown) => error instanceof GennakerError && error.code === 'GNK_E_NOT_FOUND' && /account 'prod'.*accounts: local/.test(error.message),
      );
      const nowhere = new LocalCloudProvider({ url: 'http://127.0.0.1:1', logger });
      await assert.rejects(nowhere.describe('local', 'us-east'), (error: unknown) => error instanceof GennakerError && error.code === 'GNK_E_PROVIDER_UNAVAILABLE');
      await store.close();
    });
  });
}

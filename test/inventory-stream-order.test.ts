import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { Inventory } from '../src/inventory/inventory.js';
import { createLogger } from '../src/log/logger.js';
import { openStore } from '../src/store/open.js';
import { serverGroup } from './core/cloud-fixtures.js';
import { scriptedProvider } from './support/scripted-provider.js';

/**
 * The provider's answer to an operation and its change stream travel on different connections. Here
 * the stream delivers, after the destroy's answer, an update the provider sent before the destroy.
 */
test('an update the stream sent before a destroy, arriving after the destroy answered, does not bring the group back', async () => {
  const dataDir = await mkdtemp(join(tmpdir(), 'gennaker-stream-order-'));
  const store = await openStore({ dataDir });
  const group = serverGroup('hello-v000');
  const { registry, emit } = scriptedProvider([group], (clientToken) => ({ state: 'succeeded', clientToken, removed: { kind: 'serverGroup', name: 'hello-v000' } }));
  const inventory = new Inventory({ store, registry, logger: createLogger('silent'), reconcileIntervalMs: 600_000 });
  try {
    await inventory.start();
    await inventory.reconciled();
    assert.ok(inventory.serverGroup('local', 'us-east', 'hello-v000'), 'the group is known before the destroy');

    await inventory.execute('destroy-1', { type: 'destroyServerGroup', account: 'local', region: 'us-east', serverGroup: 'hello-v000' });
    assert.equal(inventory.serverGroup('local', 'us-east', 'hello-v000'), undefined, 'the destroy answered: gone');

    emit({ kind: 'serverGroupUpserted', seq: 1, serverGroup: { ...group, capacity: { min: 0, max: 0, desired: 0 } } });
    assert.equal(inventory.serverGroup('local', 'us-east', 'hello-v000'), undefined, 'the late update from before the destroy is ignored');

    emit({ kind: 'serverGroupRemoved', seq: 2, account: 'local', region: 'us-east', name: 'hello-v000' });
    emit({ kind: 'serverGroupUpserted', seq: 3, serverGroup: { ...group, createdAt: 2000 } });
    assert.equal(inventory.serverGroup('local', 'us-east', 'hello-v000')?.createdAt, 2000, 'after the stream carried the removal, a new group of that name is taken again');
  } finally {
    await inventory.stop();
    await store.close();
    await rm(dataDir, { recursive: true, force: true });
  }
});

test('an update the stream sent before a destroy, arriving while the destroy is in flight, does not keep the group', async () => {
  const dataDir = await mkdtemp(join(tmpdir(), 'gennaker-stream-order-'));
  const store = await openStore({ dataDir });
  const group = serverGroup('hello-v000');
  const scripted = scriptedProvider([group], (clientToken) => {
    // Delivered before the operation answers: the inventory sees it while the destroy is in flight.
    scripted.emit({ kind: 'serverGroupUpserted', seq: 1, serverGroup: { ...group, capacity: { min: 0, max: 0, desired: 0 } } });
    return { state: 'succeeded', clientToken, removed: { kind: 'serverGroup', name: 'hello-v000' } };
  });
  const inventory = new Inventory({ store, registry: scripted.registry, logger: createLogger('silent'), reconcileIntervalMs: 600_000 });
  try {
    await inventory.start();
    await inventory.reconciled();
    await inventory.execute('destroy-1', { type: 'destroyServerGroup', account: 'local', region: 'us-east', serverGroup: 'hello-v000' });
    assert.equal(inventory.serverGroup('local', 'us-east', 'hello-v000'), undefined, 'the destroy answered: gone');
    scripted.emit({ kind: 'serverGroupUpserted', seq: 2, serverGroup: group });
    assert.equal(inventory.serverGroup('local', 'us-east', 'hello-v000'), undefined, 'nor brought back by another late update');
  } finally {
    await inventory.stop();
    await store.close();
    await rm(dataDir, { recursive: true, force: true });
  }
});

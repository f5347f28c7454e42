import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { ServerGroupsJson } from '../src/api/server-groups-json.js';
import { Inventory } from '../src/inventory/inventory.js';
import { createLogger } from '../src/log/logger.js';
import { openStore } from '../src/store/open.js';
import { serverGroup } from './core/cloud-fixtures.js';
import { scriptedProvider } from './support/scripted-provider.js';

test("an application's encoded server groups are kept until one of its server groups changes", async () => {
  const dataDir = await mkdtemp(join(tmpdir(), 'gennaker-server-groups-json-'));
  const store = await openStore({ dataDir });
  const { registry, emit } = scriptedProvider([serverGroup('hello-v000'), serverGroup('other-v000')], (clientToken) => ({ state: 'failed', clientToken, code: 'GNK_E_OPERATION_REFUSED', message: 'this test runs no operation' }));
  const inventory = new Inventory({ store, registry, logger: createLogger('silent'), reconcileIntervalMs: 600_000 });
  const cache = new ServerGroupsJson(inventory);
  const names = (json: string): string[] => (JSON.parse(json) as { serverGroups: { name: string }[] }).serverGroups.map((group) => group.name);
  try {
    await inventory.start();
    await inventory.reconciled();
    const first = cache.of('hello');
    assert.deepEqual(names(first), ['hello-v000']);
    assert.equal(cache.of('hello'), first, 'the same bytes while nothing changed');

    emit({ kind: 'serverGroupUpserted', seq: 1, serverGroup: serverGroup('other-v001') });
    assert.equal(cache.of('hello'), first, "another application's change keeps it");
    assert.deepEqual(names(cache.of('other')), ['other-v000', 'other-v001']);

    emit({ kind: 'serverGroupUpserted', seq: 2, serverGroup: serverGroup('hello-v001') });
    assert.deepEqual(names(cache.of('hello')), ['hello-v000', 'hello-v001'], 'a new group of the application is seen at once');
    emit({ kind: 'serverGroupRemoved', seq: 3, account: 'local', region: 'us-east', name: 'hello-v000' });
    assert.deepEqual(names(cache.of('hello')), ['hello-v001'], 'and so is a removal');
  } finally {
    cache.close();
    await inventory.stop();
    await store.close();
    await rm(dataDir, { recursive: true, force: true });
  }
});

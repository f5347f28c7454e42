import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { quarantineRefusal } from '../src/core/deploy/quarantine.js';
import { engineFixtures, openAt } from './support/store-engines.js';

for (const fixture of engineFixtures()) {
  describe(`quarantined versions on ${fixture.engine}`, () => {
    after(() => fixture.teardown());

    test('quarantine, find, list by application, keep the first record, release', async () => {
      const store = await openAt(await fixture.freshLocation());
      try {
        const bad = { application: 'hello', artifact: 'hello-service', version: '3.0.0', reason: 'crash loop in prod', quarantinedBy: 'ann', quarantinedAt: 1_000 };
        assert.deepEqual(await store.quarantine.quarantine(bad), bad);
        assert.deepEqual(await store.quarantine.quarantine({ ...bad, reason: 'again', quarantinedBy: 'bob', quarantinedAt: 2_000 }), bad);
        await store.quarantine.quarantine({ ...bad, application: 'other' });
        assert.deepEqual(await store.quarantine.find('hello', 'hello-service', '3.0.0'), bad);
        assert.equal(await store.quarantine.find('hello', 'hello-service', '2.0.0'), undefined);
        assert.deepEqual((await store.quarantine.list('hello')).map((entry) => entry.application), ['hello']);
        assert.equal((await store.quarantine.list()).length, 2);
        assert.match(quarantineRefusal(bad), /hello-service version 3\.0\.0 is quarantined for application hello by ann: crash loop in prod/);
        assert.equal(await store.quarantine.release('hello', 'hello-service', '3.0.0'), true);
        assert.equal(await store.quarantine.release('hello', 'hello-service', '3.0.0'), false);
        assert.equal(await store.quarantine.find('hello', 'hello-service', '3.0.0'), undefined);
      } finally {
        await store.close();
      }
    });
  });
}

import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { engineFixtures, openAt } from './support/store-engines.js';

for (const fixture of engineFixtures()) {
  describe(`effect claims on ${fixture.engine}`, () => {
    after(() => fixture.teardown());

    test('the first node to claim a key keeps it; others are told who holds it', async () => {
      const store = await openAt(await fixture.freshLocation());
      try {
        const claims = await Promise.all(['node-a', 'node-b', 'node-c'].map((node, index) => store.effectClaims.claim('exec/stage/0/1', node, index)));
        assert.equal(new Set(claims).size, 1, 'every claimer sees the same owner');
        assert.equal(await store.effectClaims.claim('exec/stage/0/1', 'node-b', 9), claims[0]);
        assert.equal(await store.effectClaims.claim('exec/stage/1/1', 'node-b', 9), 'node-b');
      } finally {
        await store.close();
      }
    });
  });
}

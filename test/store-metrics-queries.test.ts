import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { engineFixtures, openAt } from './support/store-engines.js';

const now = 1_700_000_000_000;

/** The aggregate queries /metrics runs at scrape time, on both storage engines. */
for (const fixture of engineFixtures()) {
  describe(`metrics queries on ${fixture.engine}`, () => {
    after(() => fixture.teardown());

    test('executions are counted by status; statuses without executions are absent', async () => {
      const store = await openAt(await fixture.freshLocation());
      assert.deepEqual(await store.executions.countByStatus(), new Map());
      const statuses = ['RUNNING', 'SUCCEEDED', 'SUCCEEDED', 'TERMINAL', 'SUCCEEDED'];
      await store.db
        .insertInto('executions')
        .values(
          statuses.map((status, index) => ({
            id: `e${index}`,
            type: 'PIPELINE',
            application: 'app',
            pipeline_config_id: null,
            status,
            build_time: now + index,
            end_time: null,
            version: 1,
            body: '{}',
          })),
        )
        .execute();
      assert.deepEqual(
        await store.executions.countByStatus(),
        new Map([
          ['RUNNING', 1],
          ['SUCCEEDED', 3],
          ['TERMINAL', 1],
        ]),
      );
      await store.close();
    });

    test('the oldest due message is found whether or not it is held; future messages do not count', async () => {
      const store = await openAt(await fixture.freshLocation());
      assert.equal(await store.queue.oldestDueAt(now), undefined);
      const message = (id: string, deliverAt: number, leaseOwner: string | null) => ({
        id,
        execution_id: 'e',
        body: '{"kind":"startExecution"}',
        deliver_at: deliverAt,
        lease_owner: leaseOwner,
        lease_until: leaseOwner === null ? 0 : now + 10_000,
        attempts: 0,
      });
      await store.db.insertInto('queue_messages').values([message('later', now + 5_000, null)]).execute();
      assert.equal(await store.queue.oldestDueAt(now), undefined);
      await store.db.insertInto('queue_messages').values([message('held', now - 3_000, 'node#1'), message('free', now - 1_000, null)]).execute();
      assert.equal(await store.queue.oldestDueAt(now), now - 3_000);
      assert.equal(await store.queue.oldestDueAt(now - 2_000), now - 3_000);
      assert.equal(await store.queue.oldestDueAt(now - 4_000), undefined);
      await store.close();
    });
  });
}

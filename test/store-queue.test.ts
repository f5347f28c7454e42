import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import type { QueuedMessage } from '../src/store/queue.js';
import { engineFixtures, openAt } from './support/store-engines.js';

const now = 1_700_000_000_000;

function message(id: string, leaseOwner: string | null): QueuedMessage {
  return { id, executionId: 'e', body: { kind: 'startExecution' }, deliverAt: now, leaseOwner, leaseUntil: leaseOwner ? now + 1_000 : 0 };
}

for (const fixture of engineFixtures()) {
  describe(`queue on ${fixture.engine}`, () => {
    after(() => fixture.teardown());

    test('renewing leases extends only the messages this owner holds', async () => {
      const store = await openAt(await fixture.freshLocation());
      await store.db.insertInto('queue_messages').values([message('mine', 'a#1'), message('theirs', 'b#1')].map(row)).execute();
      await store.queue.renewLeases('a#1', ['mine', 'theirs'], now + 60_000);
      assert.deepEqual(await leases(store.db), { mine: now + 60_000, theirs: now + 1_000 });
      await store.close();
    });

    if (fixture.engine === 'postgres') {
      test('renewing leases does not wait for a message another transaction holds (a group commit consuming it)', async () => {
        const store = await openAt(await fixture.freshLocation());
        await store.db.insertInto('queue_messages').values([message('consumed', 'a#1'), message('held', 'a#1')].map(row)).execute();
        await store.db.transaction().execute(async (trx) => {
          await trx.deleteFrom('queue_messages').where('id', '=', 'consumed').execute();
          // Outside the transaction, on another connection: it must return rather than wait for the lock.
          const waited = sleep(2_000, undefined, { ref: false }).then(() => assert.fail('renewLeases waited for a locked row'));
          await Promise.race([store.queue.renewLeases('a#1', ['consumed', 'held'], now + 60_000), waited]);
        });
        assert.deepEqual(await leases(store.db), { held: now + 60_000 });
        await store.close();
      });
    }
  });
}

function row(m: QueuedMessage) {
  return { id: m.id, execution_id: m.executionId, body: JSON.stringify(m.body), deliver_at: m.deliverAt, lease_owner: m.leaseOwner, lease_until: m.leaseUntil, attempts: 0 };
}

async function leases(db: Awaited<ReturnType<typeof openAt>>['db']): Promise<Record<string, number>> {
  const rows = await db.selectFrom('queue_messages').select(['id', 'lease_until']).execute();
  return Object.fromEntries(rows.map((r) => [r.id, r.lease_until]));
}

import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { sql } from 'kysely';
import { GennakerError } from '../src/core/errors.js';
import { migrationsFor } from '../src/store/migrations/index.js';
import { openStore } from '../src/store/open.js';
import { insertMessages, type QueuedMessage } from '../src/store/queue.js';
import { engineFixtures, openAt } from './support/store-engines.js';

const execFileAsync = promisify(execFile);

function assertCode(code: string): (error: unknown) => boolean {
  return (error) => {
    assert.ok(error instanceof GennakerError, `expected a GennakerError, got ${String(error)}`);
    assert.equal(error.code, code);
    return true;
  };
}

for (const fixture of engineFixtures()) {
  describe(`store on ${fixture.engine}`, () => {
    after(() => fixture.teardown());

    test('a fresh store is migrated to the latest schema, and reopening applies nothing twice', async () => {
      const location = await fixture.freshLocation();
      const first = await openAt(location);
      assert.equal(first.engine, fixture.engine);
      assert.deepEqual(await first.appliedMigrations(), Object.keys(migrationsFor(fixture.engine)));
      await first.close();
      const second = await openAt(location);
      assert.deepEqual(await second.appliedMigrations(), Object.keys(migrationsFor(fixture.engine)));
      await second.close();
    });

    if (fixture.engine === 'postgres') test('the tables every transition updates leave room in their pages for heap-only updates', async () => {
      const store = await openAt(await fixture.freshLocation());
      const rows = await sql<{ relname: string; reloptions: string[] | null }>`
        select relname, reloptions from pg_class where relname in ('executions', 'stages', 'queue_messages') order by relname`.execute(store.db);
      assert.deepEqual(
        rows.rows.map((row) => [row.relname, row.reloptions]),
        [['executions', ['fillfactor=70']], ['queue_messages', null], ['stages', ['fillfactor=70']]],
      );
      await store.close();
    });

    test('processes opening one new store at once all succeed and migrate it once', async () => {
      const location = await fixture.freshLocation();
      const child = fileURLToPath(new URL('./support/open-store-child.js', import.meta.url));
      const startAt = String(Date.now() + 1_500);
      const runs = await Promise.all(
        Array.from({ length: 4 }, () =>
          execFileAsync(process.execPath, [child, location.dataDir, location.databaseUrl ?? '', startAt]),
        ),
      );
      for (const { stdout } of runs) assert.deepEqual(JSON.parse(stdout), Object.keys(migrationsFor(fixture.engine)));
    });

    test('applications round-trip with their attributes, versions and times', async () => {
      let clock = 1_700_000_000_000;
      const store = await openAt(await fixture.freshLocation(), () => clock);
      const attributes = { owner: 'ops', email: 'ops@example.com', nested: { list: [1, 'two', null], unicode: 'zürich ☃' } };
      const created = await store.applications.create('checkout', attributes);
      assert.deepEqual(created, { name: 'checkout', attributes, version: 1, createdAt: clock, updatedAt: clock });
      await store.applications.create('billing', {});
      assert.deepEqual((await store.applications.list()).map((app) => app.name), ['billing', 'checkout']);

      clock += 5_000;
      const updated = await store.applications.update('checkout', { owner: 'payments' }, 1);
      assert.equal(updated.version, 2);
      assert.equal(updated.createdAt, 1_700_000_000_000);
      assert.equal(updated.updatedAt, clock);
      assert.deepEqual((await store.applications.get('checkout'))?.attributes, { owner: 'payments' });

      assert.equal(await store.applications.delete('checkout'), true);
      assert.equal(await store.applications.delete('checkout'), false);
      assert.equal(await store.applications.get('checkout'), undefined);
      await store.close();
    });

    test('creating an existing application is refused, not overwritten', async () => {
      const store = await openAt(await fixture.freshLocation());
      await store.applications.create('checkout', { owner: 'first' });
      await assert.rejects(store.applications.create('checkout', { owner: 'second' }), assertCode('GNK_E_ALREADY_EXISTS'));
      assert.deepEqual((await store.applications.get('checkout'))?.attributes, { owner: 'first' });
      await store.close();
    });

    test('a stale version is a conflict and a missing application is not found', async () => {
      const store = await openAt(await fixture.freshLocation());
      await store.applications.create('checkout', {});
      await store.applications.update('checkout', { step: 1 }, 1);
      await assert.rejects(store.applications.update('checkout', { step: 'stale' }, 1), assertCode('GNK_E_CONFLICT'));
      await assert.rejects(store.applications.update('nothing', {}, 1), assertCode('GNK_E_NOT_FOUND'));
      assert.deepEqual((await store.applications.get('checkout'))?.attributes, { step: 1 });
      await store.close();
    });

    test('of concurrent writers from one version, exactly one wins', async () => {
      const store = await openAt(await fixture.freshLocation());
      await store.applications.create('checkout', {});
      const outcomes = await Promise.allSettled(
        Array.from({ length: 10 }, (_, writer) => store.applications.update('checkout', { writer }, 1)),
      );
      assert.equal(outcomes.filter((outcome) => outcome.status === 'fulfilled').length, 1);
      for (const outcome of outcomes) {
        if (outcome.status === 'rejected') assertCode('GNK_E_CONFLICT')(outcome.reason);
      }
      assert.equal((await store.applications.get('checkout'))?.version, 2);
      await store.close();
    });

    test('a transaction commits all of its writes or none', async () => {
      const store = await openAt(await fixture.freshLocation());
      await assert.rejects(
        store.transaction(async (tx) => {
          await tx.applications.create('one', {});
          await tx.applications.create('two', {});
          throw new Error('abort');
        }),
        /abort/,
      );
      assert.deepEqual(await store.applications.list(), []);
      await store.transaction(async (tx) => {
        await tx.applications.create('one', {});
        await tx.applications.create('two', {});
      });
      assert.deepEqual((await store.applications.list()).map((app) => app.name), ['one', 'two']);
      await store.close();
    });

    test('data survives closing and reopening the store', async () => {
      const location = await fixture.freshLocation();
      const store = await openAt(location);
      await store.applications.create('durable', { kept: true });
      await store.close();
      const reopened = await openAt(location);
      assert.deepEqual((await reopened.applications.get('durable'))?.attributes, { kept: true });
      await reopened.close();
    });

    test('a database migrated by a newer Gennaker is refused', async () => {
      const location = await fixture.freshLocation();
      const store = await openAt(location);
      await sql`insert into gennaker_migration (name, timestamp) values ('9999-from-the-future', '2030-01-01')`.execute(store.db);
      await store.close();
      await assert.rejects(openAt(location), assertCode('GNK_E_STORE_SCHEMA_TOO_NEW'));
    });

    // SQLite has one writer at a time, so a renewal there simply runs before or after a commit.
    if (fixture.engine === 'postgres') {
      test('renewing leases skips a message a commit is consuming instead of waiting for it, so the two cannot deadlock', async () => {
        const store = await openAt(await fixture.freshLocation());
        const message = (id: string): QueuedMessage => ({ id, executionId: 'e', body: { kind: 'startExecution' }, deliverAt: 0, leaseOwner: 'me', leaseUntil: 1_000 });
        await insertMessages(store.db, [message('consumed'), message('kept')]);
        let locked!: () => void;
        const lockTaken = new Promise<void>((resolve) => (locked = resolve));
        let finish!: () => void;
        const commitMayFinish = new Promise<void>((resolve) => (finish = resolve));
        const commit = store.db.transaction().execute(async (trx) => {
          await trx.deleteFrom('queue_messages').where('id', '=', 'consumed').execute();
          locked();
          await commitMayFinish;
        });
        await lockTaken;
        const renewal = store.queue.renewLeases('me', ['consumed', 'kept'], 5_000).then(() => 'renewed');
        const first = await Promise.race([renewal, sleep(3_000, 'still waiting for the commit', { ref: false })]);
        finish();
        await commit;
        await renewal;
        assert.equal(first, 'renewed');
        assert.deepEqual(await store.db.selectFrom('queue_messages').select(['id', 'lease_until']).execute(), [{ id: 'kept', lease_until: 5_000 }]);
        await store.close();
      });
    }
  });
}

describe('store errors', () => {
  test('an unreachable PostgreSQL is reported as unavailable, without the password', async () => {
    const error = await openStore({ dataDir: '/nonexistent', databaseUrl: 'postgres://gennaker:hunter2@127.0.0.1:1/db' }).then(
      () => assert.fail('expected the store to be unavailable'),
      (reason: unknown) => reason,
    );
    assertCode('GNK_E_STORE_UNAVAILABLE')(error);
    assert.doesNotMatch(String((error as Error).message), /hunter2/);
    assert.match(String((error as Error).message), /postgres:\/\/gennaker@127\.0\.0\.1:1\/db/);
  });

  test('a data directory that cannot be created is reported as unavailable', async () => {
    const fixture = engineFixtures()[0]!;
    const { dataDir } = await fixture.freshLocation();
    const blocker = join(dataDir, 'a-file');
    writeFileSync(blocker, 'not a directory');
    await assert.rejects(openStore({ dataDir: join(blocker, 'data') }), assertCode('GNK_E_STORE_UNAVAILABLE'));
    await fixture.teardown();
  });
});

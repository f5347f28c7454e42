import assert from 'node:assert/strict';
import { copyFileSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, describe, test } from 'node:test';
import BetterSqlite3 from 'better-sqlite3';
import { sql, type Kysely } from 'kysely';
import { openSqlite, sqliteFileName } from '../src/store/sqlite.js';
import { WalFlusher, type SyncWal } from '../src/store/sqlite-wal-flush.js';

interface Deferred {
  readonly promise: Promise<void>;
  resolve(): void;
  reject(error: Error): void;
}

function deferred(): Deferred {
  let resolve!: () => void;
  let reject!: (error: Error) => void;
  const promise = new Promise<void>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/** A sync that finishes only when the test says so; `started` counts the syncs begun. */
function gatedSync(): { sync: SyncWal; gates: Deferred[]; started: () => number } {
  const gates: Deferred[] = [];
  return {
    sync: () => {
      const gate = deferred();
      gates.push(gate);
      return gate.promise;
    },
    gates,
    started: () => gates.length,
  };
}

/** Waits (boundedly) until `count` syncs have begun: a query reaches the driver a few ticks after it is called. */
async function syncsBegun(started: () => number, count: number): Promise<void> {
  for (let attempt = 0; attempt < 200 && started() < count; attempt++) await sleep(5);
  assert.equal(started(), count);
}

const settled = async <T>(promise: Promise<T>): Promise<boolean> => {
  let done = false;
  void promise.then(
    () => (done = true),
    () => (done = true),
  );
  await sleep(5);
  return done;
};

describe('WAL group sync', () => {
  test('a flush with no sync running starts one; flushes asked meanwhile share the one after it', async () => {
    const { sync, gates, started } = gatedSync();
    const flusher = new WalFlusher(sync);
    const first = flusher.flush();
    assert.equal(started(), 1);
    const waiting = [flusher.flush(), flusher.flush(), flusher.flush()];
    assert.equal(started(), 1, 'the next sync waits for the running one: it may have begun before these commits');
    assert.equal(await settled(waiting[0]!), false);
    gates[0]!.resolve();
    await first;
    assert.equal(await settled(waiting[0]!), false, 'the first sync does not count for commits written after it began');
    assert.equal(started(), 2, 'one sync for the three commits that asked while the first ran');
    gates[1]!.resolve();
    await Promise.all(waiting);
    assert.equal(started(), 2);
    const later = flusher.flush();
    assert.equal(started(), 3, 'nothing running: a new flush starts at once');
    gates[2]!.resolve();
    await later;
  });

  test('a failed sync fails its flush and every later one', async () => {
    const { sync, gates, started } = gatedSync();
    const flusher = new WalFlusher(sync);
    const first = flusher.flush();
    const second = flusher.flush();
    gates[0]!.reject(new Error('EIO'));
    await assert.rejects(first, /EIO/);
    await assert.rejects(second, /EIO/);
    await assert.rejects(flusher.flush(), /EIO/);
    assert.equal(started(), 1, 'after a failed sync no later sync could vouch for the lost pages');
  });
});

describe('SQLite commits: durable before acknowledged, without the event loop waiting for the disk', () => {
  const dirs: string[] = [];
  after(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));
  const newDir = (): string => {
    const dir = mkdtempSync(join(tmpdir(), 'gennaker-durability-'));
    dirs.push(dir);
    return dir;
  };
  // The tests use their own table: the driver's behaviour does not depend on the schema.
  const untyped = (db: unknown): Kysely<{ t: { k: number } }> => db as Kysely<{ t: { k: number } }>;

  test('a write resolves only after a WAL sync that began after its commit; reads go on meanwhile', async () => {
    const gated = gatedSync();
    const opened = openSqlite(newDir(), { syncWal: gated.sync });
    const db = untyped(opened.db);
    try {
      const created = sql`create table t (k integer primary key)`.execute(db);
      await syncsBegun(gated.started, 1);
      gated.gates[0]!.resolve();
      await created;

      const write = db.transaction().execute((trx) => trx.insertInto('t').values({ k: 1 }).execute());
      await syncsBegun(gated.started, 2);
      assert.equal(await settled(write), false, 'not acknowledged while its sync runs');
      const read = await db.selectFrom('t').select('k').execute();
      assert.deepEqual(read, [{ k: 1 }], 'the connection was handed on at commit: a read needs no sync and waits for none');
      assert.equal(gated.started(), 2);
      gated.gates[1]!.resolve();
      await write;

      const single = db.insertInto('t').values({ k: 2 }).execute();
      await syncsBegun(gated.started, 3);
      assert.equal(await settled(single), false, 'a write outside a transaction waits for its sync too');
      gated.gates[2]!.resolve();
      await single;
    } finally {
      gated.gates.forEach((gate) => gate.resolve());
      await opened.db.destroy();
    }
  });

  test('the WAL reaches the database file through the checkpointing worker, and closing removes the WAL', async () => {
    const dir = newDir();
    const opened = openSqlite(dir);
    const db = untyped(opened.db);
    const path = join(dir, sqliteFileName);
    await sql`create table t (k integer primary key)`.execute(db);
    for (let k = 0; k < 50; k++) await db.insertInto('t').values({ k }).execute();
    const rowsInFileAlone = (): number => {
      // A copy of the database file without its WAL holds only what a checkpoint copied into it.
      const copy = join(newDir(), 'copy.db');
      copyFileSync(path, copy);
      const reader = new BetterSqlite3(copy, { readonly: true, fileMustExist: true });
      try {
        return (reader.prepare("select count(*) as n from sqlite_master where name = 't'").get() as { n: number }).n === 1
          ? (reader.prepare('select count(*) as n from t').get() as { n: number }).n
          : 0;
      } finally {
        reader.close();
      }
    };
    let inFile = 0;
    for (let attempt = 0; attempt < 100 && inFile < 50; attempt++) {
      await sleep(50);
      inFile = rowsInFileAlone();
    }
    assert.equal(inFile, 50, 'the worker checkpointed every committed row into the database file');
    assert.equal(existsSync(`${path}-wal`), true);
    await opened.db.destroy();
    assert.equal(existsSync(`${path}-wal`), false, 'the last connection checkpointed and removed the WAL on close');
    assert.equal(rowsInFileAlone(), 50);
  });
});

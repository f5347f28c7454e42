import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import BetterSqlite3 from 'better-sqlite3';
import { withStatementCache } from '../src/store/sqlite.js';

const ignoreWrites = (): void => undefined;

describe('SQLite prepared-statement cache', () => {
  test('preparing a statement that may write is reported (the driver then waits for the WAL sync); a read is not', () => {
    const database = new BetterSqlite3(':memory:');
    const written: string[] = [];
    let current = '';
    const cached = withStatementCache(database, () => written.push(current));
    const run = (sql: string): void => {
      current = sql;
      const statement = cached.prepare(sql);
      if (statement.reader) statement.all([]);
      else statement.run([]);
    };
    run('create table t (k integer primary key)');
    run('select * from t');
    run('begin immediate');
    run('insert into t (k) values (1)');
    run('insert into t (k) values (2) returning k');
    run('commit');
    run('select count(*) from t');
    run('delete from t where k = 1');
    // SQLite counts COMMIT as read-only; the BEGIN IMMEDIATE of every Gennaker transaction reports it.
    assert.deepEqual(written, [
      'create table t (k integer primary key)',
      'begin immediate',
      'insert into t (k) values (1)',
      'insert into t (k) values (2) returning k',
      'delete from t where k = 1',
    ]);
    cached.close();
  });

  test('a repeated SQL text reuses its prepared statement, with fresh parameters each time', () => {
    const database = new BetterSqlite3(':memory:');
    const cached = withStatementCache(database, ignoreWrites);
    cached.prepare('create table t (k integer primary key, v text)').run([]);
    const insert = cached.prepare('insert into t (k, v) values (?, ?)');
    assert.equal(cached.prepare('insert into t (k, v) values (?, ?)'), insert);
    insert.run([1, 'one']);
    cached.prepare('insert into t (k, v) values (?, ?)').run([2, 'two']);
    assert.deepEqual(cached.prepare('select v from t where k = ?').all([2]), [{ v: 'two' }]);
    assert.deepEqual(cached.prepare('select v from t where k = ?').all([1]), [{ v: 'one' }]);
    cached.close();
  });

  test('a kept statement still works after the schema changed under it', () => {
    const database = new BetterSqlite3(':memory:');
    const cached = withStatementCache(database, ignoreWrites);
    cached.prepare('create table t (k integer primary key)').run([]);
    cached.prepare('insert into t (k) values (?)').run([1]);
    cached.prepare('alter table t add column v text').run([]);
    cached.prepare('insert into t (k) values (?)').run([2]);
    assert.deepEqual(cached.prepare('select * from t order by k').all([]), [
      { k: 1, v: null },
      { k: 2, v: null },
    ]);
    cached.close();
  });

  test('long statements (one-off multi-row writes) are not kept, and the least recently used goes first', () => {
    const database = new BetterSqlite3(':memory:');
    const cached = withStatementCache(database, ignoreWrites);
    const long = `select ${Array.from({ length: 600 }, (_, i) => `${i} as c${i}`).join(', ')}`;
    assert.notEqual(cached.prepare(long), cached.prepare(long));
    const first = cached.prepare('select 0');
    const kept = cached.prepare('select 1');
    for (let i = 2; i <= 200; i++) {
      cached.prepare('select 1');
      cached.prepare(`select ${i}`);
    }
    assert.equal(cached.prepare('select 1'), kept, 'recently used: kept');
    assert.notEqual(cached.prepare('select 0'), first, 'least recently used: dropped once 200 others were kept');
    cached.close();
  });
});

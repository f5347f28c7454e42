import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import {
  CompiledQuery,
  Kysely,
  SqliteAdapter,
  SqliteDialect,
  SqliteDriver,
  type DatabaseConnection,
  type Driver,
  type SqliteDatabase,
  type SqliteDialectConfig,
  type SqliteStatement,
} from 'kysely';
import { GennakerError } from '../core/errors.js';
import type { Tables } from './tables.js';

export const sqliteFileName = 'gennaker.db';
const busyTimeoutMs = 5_000;
const cachedStatements = 200;
/** Longer statements are multi-row writes of one size that seldom recurs; they are prepared once and dropped. */
const longestCachedSql = 2_000;

/**
 * Kysely prepares every query anew, and on better-sqlite3 preparing costs more than running a small
 * statement. Keeping the prepared statements of recent SQL texts (least recently used dropped first)
 * makes repeated queries cost only their execution; SQLite re-prepares a kept statement by itself when
 * the schema changes.
 */
export function withStatementCache(database: BetterSqlite3.Database): SqliteDatabase {
  const cache = new Map<string, SqliteStatement>();
  return {
    close: () => database.close(),
    prepare: (sql) => {
      const cached = cache.get(sql);
      if (cached) {
        cache.delete(sql);
        cache.set(sql, cached);
        return cached;
      }
      const statement = database.prepare(sql);
      if (sql.length <= longestCachedSql) {
        if (cache.size >= cachedStatements) cache.delete(cache.keys().next().value!);
        cache.set(sql, statement);
      }
      return statement;
    },
  };
}

/**
 * Every transaction Gennaker opens writes. A deferred BEGIN would read first and then fail with
 * SQLITE_BUSY_SNAPSHOT when another process committed meanwhile; BEGIN IMMEDIATE takes the write
 * lock up front, so a second process waits (busy_timeout) and then sees the first one's work.
 */
class ImmediateTransactionSqliteDriver extends SqliteDriver {
  override async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('begin immediate'));
  }
}

/** SQLite runs DDL inside transactions, so a migration either applies whole or not at all. */
class TransactionalDdlSqliteAdapter extends SqliteAdapter {
  override get supportsTransactionalDdl(): boolean {
    return true;
  }
}

class GennakerSqliteDialect extends SqliteDialect {
  readonly #config: SqliteDialectConfig;

  constructor(config: SqliteDialectConfig) {
    super(config);
    this.#config = config;
  }

  override createDriver(): Driver {
    return new ImmediateTransactionSqliteDriver(this.#config);
  }

  override createAdapter(): SqliteAdapter {
    return new TransactionalDdlSqliteAdapter();
  }
}

/**
 * SQLite answers SQLITE_BUSY to a change of journal mode without calling the busy handler when another
 * process holds the lock (several processes opening one new file at once), so this waits and retries
 * itself, up to the busy timeout. Opening is synchronous, hence the blocking wait.
 */
function switchToWal(database: BetterSqlite3.Database): void {
  const pause = new Int32Array(new SharedArrayBuffer(4));
  for (let waited = 0; ; waited += walRetryMs) {
    try {
      database.pragma('journal_mode = WAL');
      return;
    } catch (error) {
      if ((error as { code?: string }).code !== 'SQLITE_BUSY' || waited >= busyTimeoutMs) throw error;
      Atomics.wait(pause, 0, 0, walRetryMs);
    }
  }
}

const walRetryMs = 20;

/**
 * Opens (creating if needed) the embedded database file. WAL lets readers proceed during a write;
 * synchronous=FULL makes every commit durable across power loss, which the engine's promise
 * ("a crash loses nothing") needs.
 */
export function openSqlite(dataDir: string): { db: Kysely<Tables>; path: string } {
  const path = join(dataDir, sqliteFileName);
  let database: BetterSqlite3.Database;
  try {
    mkdirSync(dataDir, { recursive: true });
    // The busy timeout comes first: switching a new file to WAL needs a lock another process may hold.
    database = new BetterSqlite3(path, { timeout: busyTimeoutMs });
    switchToWal(database);
    database.pragma('synchronous = FULL');
    database.pragma('foreign_keys = ON');
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new GennakerError('GNK_E_STORE_UNAVAILABLE', `cannot open ${path}: ${reason}`, [{ path: 'dataDir' }], {
      cause: error,
    });
  }
  return { db: new Kysely<Tables>({ dialect: new GennakerSqliteDialect({ database: withStatementCache(database) }) }), path };
}

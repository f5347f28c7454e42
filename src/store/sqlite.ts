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
import { startCheckpointer, type Checkpointer } from './sqlite-checkpointer.js';
import { WalFlusher, walFileSync, type SyncWal } from './sqlite-wal-flush.js';
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
export function withStatementCache(database: BetterSqlite3.Database, onWrite: () => void): SqliteDatabase {
  const cache = new Map<string, BetterSqlite3.Statement>();
  const prepared = (sql: string): BetterSqlite3.Statement => {
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
  };
  return {
    close: () => database.close(),
    prepare: (sql): SqliteStatement => {
      const statement = prepared(sql);
      // Kysely runs what it prepares straight away, so preparing a statement that may write is the write.
      if (!statement.readonly) onWrite();
      return statement;
    },
  };
}

/** What the driver needs besides the database: the durability of commits and what closing involves. */
interface Durability {
  /** True when a statement that may write ran since the last call. */
  takeWrite(): boolean;
  readonly flusher: WalFlusher;
  close(): Promise<void>;
}

/**
 * Every transaction Gennaker opens writes. A deferred BEGIN would read first and then fail with
 * SQLITE_BUSY_SNAPSHOT when another process committed meanwhile; BEGIN IMMEDIATE takes the write
 * lock up front, so a second process waits (busy_timeout) and then sees the first one's work.
 *
 * A use of the connection that wrote (a transaction, or one statement on its own) hands the connection
 * on at once and then waits for the WAL to be synced before its caller goes on: the caller sees its
 * commit only once it is durable, while other queries (and the event loop) never wait for the disk.
 */
class DurableSqliteDriver extends SqliteDriver {
  readonly #durability: Durability;

  constructor(config: SqliteDialectConfig, durability: Durability) {
    super(config);
    this.#durability = durability;
  }

  override async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('begin immediate'));
  }

  override async releaseConnection(): Promise<void> {
    const wrote = this.#durability.takeWrite();
    await super.releaseConnection();
    if (wrote) await this.#durability.flusher.flush();
  }

  override async destroy(): Promise<void> {
    await this.#durability.close();
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
  readonly #durability: Durability;

  constructor(config: SqliteDialectConfig, durability: Durability) {
    super(config);
    this.#config = config;
    this.#durability = durability;
  }

  override createDriver(): Driver {
    return new DurableSqliteDriver(this.#config, this.#durability);
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

export interface OpenSqliteOptions {
  /** Replaces the fdatasync of the WAL file (tests use it to hold syncs back and count them). */
  readonly syncWal?: SyncWal;
}

/**
 * Opens (creating if needed) the embedded database file. WAL lets readers proceed during a write.
 * Every commit is durable across power loss before it is acknowledged, which the engine's promise
 * ("a crash loses nothing") needs — the guarantee of synchronous=FULL, without its cost: FULL syncs
 * inside COMMIT, on the event loop, so one slow sync of the disk stalls every request. Instead:
 * - the connection commits with synchronous=OFF and the driver then waits for a group fdatasync of the
 *   WAL on the thread pool (WalFlusher) before the caller goes on;
 * - it never checkpoints (wal_autocheckpoint=0): a worker thread's connection does, with
 *   synchronous=FULL, so the database file is synced before WAL frames are reused;
 * - closing turns FULL back on first, because the last connection to close checkpoints and removes the WAL.
 * Should the worker fail, the connection goes back to synchronous=FULL and checkpointing itself.
 */
export function openSqlite(dataDir: string, options: OpenSqliteOptions = {}): { db: Kysely<Tables>; path: string } {
  const path = join(dataDir, sqliteFileName);
  let database: BetterSqlite3.Database;
  try {
    mkdirSync(dataDir, { recursive: true });
    // The busy timeout comes first: switching a new file to WAL needs a lock another process may hold.
    database = new BetterSqlite3(path, { timeout: busyTimeoutMs });
    switchToWal(database);
    database.pragma('synchronous = OFF');
    database.pragma('wal_autocheckpoint = 0');
    database.pragma('foreign_keys = ON');
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new GennakerError('GNK_E_STORE_UNAVAILABLE', `cannot open ${path}: ${reason}`, [{ path: 'dataDir' }], {
      cause: error,
    });
  }
  const durability = durabilityOf(database, path, options);
  const statements = withStatementCache(database, durability.noteWrite);
  return { db: new Kysely<Tables>({ dialect: new GennakerSqliteDialect({ database: statements }, durability) }), path };
}

function durabilityOf(database: BetterSqlite3.Database, path: string, options: OpenSqliteOptions): Durability & { noteWrite: () => void } {
  const wal = walFileSync(`${path}-wal`);
  const flusher = new WalFlusher(options.syncWal ?? wal.sync);
  let wrote = false;
  // Started at the first write: a store opened only to read (the audit CLI) needs no worker.
  let checkpointer: Checkpointer | undefined;
  const syncInsideCommits = (): void => {
    database.pragma('synchronous = FULL');
    database.pragma('wal_autocheckpoint = 1000');
  };
  return {
    noteWrite: () => {
      wrote = true;
      checkpointer ??= startCheckpointer(path, syncInsideCommits);
    },
    takeWrite: () => {
      const taken = wrote;
      wrote = false;
      return taken;
    },
    flusher,
    close: async () => {
      await flusher.settle();
      await checkpointer?.stop();
      await wal.close();
      syncInsideCommits();
      database.close();
    },
  };
}

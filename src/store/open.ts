import type { Kysely } from 'kysely';
import { describeDatabaseUrl } from '../core/database-url.js';
import { appliedMigrations, migrateToLatest } from './migrate.js';
import { openPostgres } from './postgres.js';
import { openSqlite } from './sqlite.js';
import { createStore, type Store } from './store.js';
import type { Tables } from './tables.js';

export interface OpenStoreOptions {
  readonly dataDir: string;
  /** A postgres:// URL; absent means the embedded SQLite file in `dataDir`. */
  readonly databaseUrl?: string;
  readonly now?: () => number;
}

/** Opens the configured store and migrates it to the latest schema before returning it. */
export async function openStore({ dataDir, databaseUrl, now = Date.now }: OpenStoreOptions): Promise<Store> {
  const { engine, location, db } = databaseUrl
    ? { engine: 'postgres' as const, location: describeDatabaseUrl(databaseUrl), db: await openPostgres(databaseUrl) }
    : (() => {
        const sqlite = openSqlite(dataDir);
        return { engine: 'sqlite' as const, location: sqlite.path, db: sqlite.db };
      })();
  const untyped = db as unknown as Kysely<unknown>;
  try {
    await migrateToLatest(untyped, engine);
  } catch (error) {
    await db.destroy();
    throw error;
  }
  return createStore(engine, location, db as Kysely<Tables>, now, () => appliedMigrations(untyped));
}

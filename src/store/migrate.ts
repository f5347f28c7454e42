import { Migrator, sql, type Kysely, type MigrationProvider } from 'kysely';
import { GennakerError } from '../core/errors.js';
import { migrationsFor } from './migrations/index.js';
import type { StoreEngine } from './store.js';

const migrationTable = 'gennaker_migration';
const migrationLockTable = 'gennaker_migration_lock';

export async function appliedMigrations(db: Kysely<unknown>): Promise<string[]> {
  const tables = await db.introspection.getTables();
  if (!tables.some((table) => table.name === migrationTable)) return [];
  const rows = await sql<{ name: string }>`select name from ${sql.table(migrationTable)} order by name`.execute(db);
  return rows.rows.map((row) => row.name);
}

/**
 * Brings the schema to the latest version. Refuses to touch a database that a newer Gennaker has
 * migrated (it would not understand its tables). Concurrent callers are serialised by Kysely's
 * migration lock, so several processes may start at once against one PostgreSQL.
 */
export async function migrateToLatest(db: Kysely<unknown>, engine: StoreEngine): Promise<string[]> {
  const migrations = migrationsFor(engine);
  const provider: MigrationProvider = { getMigrations: async () => migrations };
  const unknown = (await appliedMigrations(db)).filter((name) => !(name in migrations));
  if (unknown.length > 0) {
    throw new GennakerError(
      'GNK_E_STORE_SCHEMA_TOO_NEW',
      `the database has migrations this version does not know (${unknown.join(', ')}); run a newer Gennaker`,
    );
  }
  const migrator = new Migrator({ db, provider, migrationTableName: migrationTable, migrationLockTableName: migrationLockTable });
  const { error, results } = await migrator.migrateToLatest();
  if (error) {
    const failed = results?.find((result) => result.status === 'Error')?.migrationName ?? '(unknown)';
    const reason = error instanceof Error ? error.message : String(error);
    throw new GennakerError('GNK_E_STORE_MIGRATION_FAILED', `migration ${failed} failed: ${reason}`, [], { cause: error });
  }
  return (results ?? []).map((result) => result.migrationName);
}

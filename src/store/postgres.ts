import { Kysely, PostgresDialect, sql } from 'kysely';
import { describeDatabaseUrl } from '../core/database-url.js';
import { GennakerError } from '../core/errors.js';
import type { Tables } from './tables.js';

const INT8_OID = 20;

/**
 * Connects to PostgreSQL and checks the connection before anything else uses it. `pg` is loaded
 * lazily so the embedded default starts without it. BIGINT columns hold epoch milliseconds, well
 * inside the exact range of a JS number, so they are parsed as numbers rather than strings.
 */
export async function openPostgres(url: string): Promise<Kysely<Tables>> {
  const { default: pg } = await import('pg');
  const pool = new pg.Pool({
    connectionString: url,
    max: 10,
    connectionTimeoutMillis: 5_000,
    types: {
      getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
        oid === INT8_OID ? (value: string) => Number(value) : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
    },
  });
  const db = new Kysely<Tables>({ dialect: new PostgresDialect({ pool }) });
  try {
    await sql`select 1`.execute(db);
  } catch (error) {
    await db.destroy();
    const reason = error instanceof Error ? error.message : String(error);
    throw new GennakerError(
      'GNK_E_STORE_UNAVAILABLE',
      `cannot connect to ${describeDatabaseUrl(url)}: ${reason}`,
      [{ path: 'db.url' }],
      { cause: error },
    );
  }
  return db;
}

import { sql, type Kysely, type Migration } from 'kysely';
import type { StoreEngine } from '../store.js';

/** The tables every transition updates: an execution's row and its stages' rows. */
const updatedByTransitions = ['executions', 'stages'];

/**
 * PostgreSQL: leaves 30 % of each page of those tables free, so the new version of an updated row
 * fits on its own page. PostgreSQL then updates it without touching the indexes (a heap-only update:
 * no index entries, less WAL, no index bloat) and reclaims the old version when it next visits the
 * page, without waiting for vacuum. In the engine bench this raised the share of such updates from
 * a quarter to over three quarters. Pages written before the change fill up as they were; new ones
 * keep the room. SQLite rewrites a row in place and has no such setting, so there it does nothing.
 */
export function roomForUpdates(engine: StoreEngine): Migration {
  const fillFactor = async (db: Kysely<unknown>, percent: number | undefined): Promise<void> => {
    if (engine !== 'postgres') return;
    for (const table of updatedByTransitions) {
      const setting = percent === undefined ? sql`reset (fillfactor)` : sql`set (fillfactor = ${sql.lit(percent)})`;
      await sql`alter table ${sql.table(table)} ${setting}`.execute(db);
    }
  };
  return { up: (db) => fillFactor(db, 70), down: (db) => fillFactor(db, undefined) };
}

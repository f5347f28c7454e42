import type { Kysely } from 'kysely';

// Which engine node took a side effect that must happen once (a local job), by idempotency key: a node
// that finds the key taken by another does not take the effect again.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('effect_claims')
    .addColumn('key', 'text', (col) => col.primaryKey())
    .addColumn('owner', 'text', (col) => col.notNull())
    .addColumn('claimed_at', 'bigint', (col) => col.notNull())
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('effect_claims').execute();
}

import type { Kysely } from 'kysely';

// Operator freezes: while one covers a stage's application or accounts, stages that change
// infrastructure wait or fail. A lifted freeze stays as history.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('freezes')
    .addColumn('id', 'text', (col) => col.primaryKey())
    .addColumn('body', 'text', (col) => col.notNull())
    .addColumn('lifted_at', 'bigint')
    .addColumn('lifted_by', 'text')
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('freezes').execute();
}

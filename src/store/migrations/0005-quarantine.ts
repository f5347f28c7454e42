import type { Kysely } from 'kysely';

// Artifact versions an operator marked bad for an application; deploy stages refuse them until released.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('quarantined_versions')
    .addColumn('application', 'text', (col) => col.notNull())
    .addColumn('artifact', 'text', (col) => col.notNull())
    .addColumn('version', 'text', (col) => col.notNull())
    .addColumn('reason', 'text', (col) => col.notNull())
    .addColumn('quarantined_by', 'text', (col) => col.notNull())
    .addColumn('quarantined_at', 'bigint', (col) => col.notNull())
    .addPrimaryKeyConstraint('quarantined_versions_pk', ['application', 'artifact', 'version'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('quarantined_versions').execute();
}

import type { Kysely } from 'kysely';

// The inventory's last known state: every server group and load balancer a provider reported, whole,
// so a restarted control plane serves it before the first reconcile; and how far each provider's
// change stream has been applied, so it resumes there.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('inventory_resources')
    .addColumn('kind', 'text', (col) => col.notNull())
    .addColumn('account', 'text', (col) => col.notNull())
    .addColumn('region', 'text', (col) => col.notNull())
    .addColumn('name', 'text', (col) => col.notNull())
    .addColumn('body', 'text', (col) => col.notNull())
    .addColumn('updated_at', 'bigint', (col) => col.notNull())
    .addPrimaryKeyConstraint('inventory_resources_pk', ['kind', 'account', 'region', 'name'])
    .execute();
  await db.schema
    .createTable('inventory_cursors')
    .addColumn('provider', 'text', (col) => col.primaryKey())
    .addColumn('seq', 'bigint', (col) => col.notNull())
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('inventory_cursors').execute();
  await db.schema.dropTable('inventory_resources').execute();
}

import type { Kysely } from 'kysely';

// The tamper-evident audit trail: one hash-chained row per event, numbered without gaps by the appender;
// and how far each delivery sink (the webhook) has got, so a restart resumes there.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('audit_events')
    .addColumn('seq', 'bigint', (col) => col.primaryKey())
    .addColumn('time', 'bigint', (col) => col.notNull())
    .addColumn('actor', 'text', (col) => col.notNull())
    .addColumn('action', 'text', (col) => col.notNull())
    .addColumn('target_type', 'text', (col) => col.notNull())
    .addColumn('target_id', 'text', (col) => col.notNull())
    .addColumn('application', 'text')
    .addColumn('summary', 'text', (col) => col.notNull())
    .addColumn('execution_id', 'text')
    .addColumn('prev_hash', 'text', (col) => col.notNull())
    .addColumn('hash', 'text', (col) => col.notNull())
    .execute();
  await db.schema.createIndex('audit_events_application').on('audit_events').columns(['application', 'seq']).execute();
  await db.schema.createIndex('audit_events_execution').on('audit_events').columns(['execution_id', 'seq']).execute();
  await db.schema
    .createTable('audit_sink_cursors')
    .addColumn('sink', 'text', (col) => col.primaryKey())
    .addColumn('seq', 'bigint', (col) => col.notNull())
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('audit_sink_cursors').execute();
  await db.schema.dropTable('audit_events').execute();
}

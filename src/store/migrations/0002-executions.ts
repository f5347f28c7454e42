import type { Kysely } from 'kysely';

// Executions are rows with their queryable fields as columns and the rest as JSON; stages are one row
// each so a transition rewrites only what it changed. Queue messages carry ids only.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('pipeline_configs')
    .addColumn('id', 'text', (col) => col.primaryKey())
    .addColumn('application', 'text', (col) => col.notNull())
    .addColumn('name', 'text', (col) => col.notNull())
    .addColumn('body', 'text', (col) => col.notNull())
    .addColumn('version', 'integer', (col) => col.notNull())
    .addColumn('created_at', 'bigint', (col) => col.notNull())
    .addColumn('updated_at', 'bigint', (col) => col.notNull())
    .addUniqueConstraint('pipeline_configs_application_name', ['application', 'name'])
    .execute();

  await db.schema
    .createTable('executions')
    .addColumn('id', 'text', (col) => col.primaryKey())
    .addColumn('type', 'text', (col) => col.notNull())
    .addColumn('application', 'text', (col) => col.notNull())
    .addColumn('pipeline_config_id', 'text')
    .addColumn('status', 'text', (col) => col.notNull())
    .addColumn('build_time', 'bigint', (col) => col.notNull())
    .addColumn('end_time', 'bigint')
    .addColumn('version', 'integer', (col) => col.notNull())
    .addColumn('body', 'text', (col) => col.notNull())
    .execute();
  await db.schema.createIndex('executions_application_build_time').on('executions').columns(['application', 'build_time']).execute();
  await db.schema.createIndex('executions_pipeline_status').on('executions').columns(['pipeline_config_id', 'status']).execute();
  await db.schema.createIndex('executions_status').on('executions').column('status').execute();

  await db.schema
    .createTable('stages')
    .addColumn('execution_id', 'text', (col) => col.notNull())
    .addColumn('id', 'text', (col) => col.notNull())
    .addColumn('body', 'text', (col) => col.notNull())
    .addPrimaryKeyConstraint('stages_pk', ['execution_id', 'id'])
    .execute();

  await db.schema
    .createTable('queue_messages')
    .addColumn('id', 'text', (col) => col.primaryKey())
    .addColumn('execution_id', 'text', (col) => col.notNull())
    .addColumn('body', 'text', (col) => col.notNull())
    .addColumn('deliver_at', 'bigint', (col) => col.notNull())
    .addColumn('lease_owner', 'text')
    .addColumn('lease_until', 'bigint', (col) => col.notNull())
    .addColumn('attempts', 'integer', (col) => col.notNull())
    .execute();
  await db.schema.createIndex('queue_messages_due').on('queue_messages').columns(['lease_until', 'deliver_at']).execute();
  await db.schema.createIndex('queue_messages_execution').on('queue_messages').column('execution_id').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of ['queue_messages', 'stages', 'executions', 'pipeline_configs']) await db.schema.dropTable(table).execute();
}

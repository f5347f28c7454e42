import { sql, type Kysely } from 'kysely';

// Every save of a pipeline is a revision (its number is the pipeline's version), kept as the author wrote it.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('pipeline_config_revisions')
    .addColumn('pipeline_config_id', 'text', (col) => col.notNull())
    .addColumn('revision', 'integer', (col) => col.notNull())
    .addColumn('body', 'text', (col) => col.notNull())
    .addColumn('author', 'text', (col) => col.notNull())
    .addColumn('created_at', 'bigint', (col) => col.notNull())
    .addPrimaryKeyConstraint('pipeline_config_revisions_pk', ['pipeline_config_id', 'revision'])
    .execute();
  // Pipelines saved before revisions existed start their history at their current version.
  await sql`INSERT INTO pipeline_config_revisions (pipeline_config_id, revision, body, author, created_at)
            SELECT id, version, body, 'unknown', updated_at FROM pipeline_configs`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('pipeline_config_revisions').execute();
}

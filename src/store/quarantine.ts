import type { Kysely } from 'kysely';
import type { QuarantinedVersion } from '../core/deploy/quarantine.js';
import type { Tables } from './tables.js';

type Row = Tables['quarantined_versions'];

function fromRow(row: Row): QuarantinedVersion {
  return {
    application: row.application,
    artifact: row.artifact,
    version: row.version,
    reason: row.reason,
    quarantinedBy: row.quarantined_by,
    quarantinedAt: row.quarantined_at,
  };
}

export class QuarantineRepository {
  constructor(private readonly db: Kysely<Tables>) {}

  /** Marks a version bad; marking it again keeps the first record (who and why it was first found bad). */
  async quarantine(entry: QuarantinedVersion): Promise<QuarantinedVersion> {
    await this.db
      .insertInto('quarantined_versions')
      .values({
        application: entry.application,
        artifact: entry.artifact,
        version: entry.version,
        reason: entry.reason,
        quarantined_by: entry.quarantinedBy,
        quarantined_at: entry.quarantinedAt,
      })
      .onConflict((conflict) => conflict.columns(['application', 'artifact', 'version']).doNothing())
      .execute();
    return (await this.find(entry.application, entry.artifact, entry.version))!;
  }

  /** Returns whether the version was quarantined. */
  async release(application: string, artifact: string, version: string): Promise<boolean> {
    const result = await this.db
      .deleteFrom('quarantined_versions')
      .where('application', '=', application)
      .where('artifact', '=', artifact)
      .where('version', '=', version)
      .executeTakeFirst();
    return result.numDeletedRows > 0n;
  }

  async find(application: string, artifact: string, version: string): Promise<QuarantinedVersion | undefined> {
    const row = await this.db
      .selectFrom('quarantined_versions')
      .selectAll()
      .where('application', '=', application)
      .where('artifact', '=', artifact)
      .where('version', '=', version)
      .executeTakeFirst();
    return row ? fromRow(row) : undefined;
  }

  async list(application?: string): Promise<QuarantinedVersion[]> {
    let query = this.db.selectFrom('quarantined_versions').selectAll();
    if (application !== undefined) query = query.where('application', '=', application);
    const rows = await query.orderBy('application').orderBy('artifact').orderBy('version').execute();
    return rows.map(fromRow);
  }
}

import type { Kysely } from 'kysely';
import { GennakerError } from '../core/errors.js';
import type { Tables } from './tables.js';

export interface StoredPipelineConfig {
  readonly id: string;
  readonly application: string;
  readonly name: string;
  /** The validated pipeline document as saved. */
  readonly body: Readonly<Record<string, unknown>>;
  readonly version: number;
  readonly createdAt: number;
  readonly updatedAt: number;
}

function fromRow(row: Tables['pipeline_configs']): StoredPipelineConfig {
  return {
    id: row.id,
    application: row.application,
    name: row.name,
    body: JSON.parse(row.body) as Record<string, unknown>,
    version: row.version,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export class PipelineConfigRepository {
  constructor(
    private readonly db: Kysely<Tables>,
    private readonly now: () => number,
  ) {}

  /** Creates or replaces the pipeline with this id (a new version on every save). */
  async save(config: { id: string; application: string; name: string; body: Record<string, unknown> }): Promise<StoredPipelineConfig> {
    const at = this.now();
    const existing = await this.get(config.id);
    if (existing) {
      const row = await this.db
        .updateTable('pipeline_configs')
        .set({ application: config.application, name: config.name, body: JSON.stringify(config.body), version: existing.version + 1, updated_at: at })
        .where('id', '=', config.id)
        .where('version', '=', existing.version)
        .returningAll()
        .executeTakeFirst();
      if (!row) throw new GennakerError('GNK_E_CONFLICT', `pipeline ${config.id} changed while saving; retry`);
      return fromRow(row);
    }
    const row = await this.db
      .insertInto('pipeline_configs')
      .values({ id: config.id, application: config.application, name: config.name, body: JSON.stringify(config.body), version: 1, created_at: at, updated_at: at })
      .returningAll()
      .executeTakeFirstOrThrow();
    return fromRow(row);
  }

  async get(id: string): Promise<StoredPipelineConfig | undefined> {
    const row = await this.db.selectFrom('pipeline_configs').selectAll().where('id', '=', id).executeTakeFirst();
    return row ? fromRow(row) : undefined;
  }

  async findByName(application: string, name: string): Promise<StoredPipelineConfig | undefined> {
    const row = await this.db.selectFrom('pipeline_configs').selectAll().where('application', '=', application).where('name', '=', name).executeTakeFirst();
    return row ? fromRow(row) : undefined;
  }

  async listByApplication(application: string): Promise<StoredPipelineConfig[]> {
    const rows = await this.db.selectFrom('pipeline_configs').selectAll().where('application', '=', application).orderBy('name').execute();
    return rows.map(fromRow);
  }
}

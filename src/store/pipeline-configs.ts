import type { Kysely, Transaction } from 'kysely';
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

/** One save of a pipeline: its number is the version that save produced. */
export interface PipelineRevision {
  readonly pipelineConfigId: string;
  readonly revision: number;
  /** The pipeline as its author wrote it. */
  readonly body: Readonly<Record<string, unknown>>;
  readonly author: string;
  readonly createdAt: number;
}

export interface PipelineSave {
  readonly id: string;
  readonly application: string;
  readonly name: string;
  /** The validated pipeline, as the engine runs it. */
  readonly body: Record<string, unknown>;
  /** The pipeline as written, kept as the revision; defaults to `body`. */
  readonly written?: Record<string, unknown>;
  /** Defaults to `gennaker` (saves made by the platform itself). */
  readonly author?: string;
  /** Refuse the save (GNK_E_CONFLICT) unless the stored version is still this one. */
  readonly expectedVersion?: number;
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

function revisionFromRow(row: Tables['pipeline_config_revisions']): PipelineRevision {
  return {
    pipelineConfigId: row.pipeline_config_id,
    revision: row.revision,
    body: JSON.parse(row.body) as Record<string, unknown>,
    author: row.author,
    createdAt: row.created_at,
  };
}

export class PipelineConfigRepository {
  constructor(
    private readonly db: Kysely<Tables>,
    private readonly now: () => number,
  ) {}

  /** Creates or replaces the pipeline with this id: a new version on every save, kept as a revision. */
  save(config: PipelineSave): Promise<StoredPipelineConfig> {
    return this.#atomically(async (db) => {
      const at = this.now();
      const existing = await db.selectFrom('pipeline_configs').select('version').where('id', '=', config.id).executeTakeFirst();
      if (config.expectedVersion !== undefined && (existing?.version ?? 0) !== config.expectedVersion) {
        throw staleVersion(config.id, existing?.version, config.expectedVersion);
      }
      const values = { application: config.application, name: config.name, body: JSON.stringify(config.body), updated_at: at };
      const row = existing
        ? await db
            .updateTable('pipeline_configs')
            .set({ ...values, version: existing.version + 1 })
            .where('id', '=', config.id)
            .where('version', '=', existing.version)
            .returningAll()
            .executeTakeFirst()
        : await db
            .insertInto('pipeline_configs')
            .values({ id: config.id, ...values, version: 1, created_at: at })
            .onConflict((conflict) => conflict.column('id').doNothing())
            .returningAll()
            .executeTakeFirst();
      if (!row) throw new GennakerError('GNK_E_CONFLICT', `pipeline ${config.id} changed while saving; read it again and retry`);
      await db
        .insertInto('pipeline_config_revisions')
        .values({
          pipeline_config_id: row.id,
          revision: row.version,
          body: JSON.stringify(config.written ?? config.body),
          author: config.author ?? 'gennaker',
          created_at: at,
        })
        .execute();
      return fromRow(row);
    });
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

  /** Deletes the pipeline and its history; false when there was none. */
  delete(id: string): Promise<boolean> {
    return this.#atomically(async (db) => {
      await db.deleteFrom('pipeline_config_revisions').where('pipeline_config_id', '=', id).execute();
      const result = await db.deleteFrom('pipeline_configs').where('id', '=', id).executeTakeFirst();
      return result.numDeletedRows > 0n;
    });
  }

  /** The pipeline's revisions, newest first. */
  async revisions(id: string): Promise<PipelineRevision[]> {
    const rows = await this.db
      .selectFrom('pipeline_config_revisions')
      .selectAll()
      .where('pipeline_config_id', '=', id)
      .orderBy('revision', 'desc')
      .execute();
    return rows.map(revisionFromRow);
  }

  async revision(id: string, revision: number): Promise<PipelineRevision | undefined> {
    const row = await this.db
      .selectFrom('pipeline_config_revisions')
      .selectAll()
      .where('pipeline_config_id', '=', id)
      .where('revision', '=', revision)
      .executeTakeFirst();
    return row ? revisionFromRow(row) : undefined;
  }

  /** The newest revision before `revision`, if any (revisions are numbered by version, without gaps in practice). */
  async previousRevision(id: string, revision: number): Promise<PipelineRevision | undefined> {
    const row = await this.db
      .selectFrom('pipeline_config_revisions')
      .selectAll()
      .where('pipeline_config_id', '=', id)
      .where('revision', '<', revision)
      .orderBy('revision', 'desc')
      .limit(1)
      .executeTakeFirst();
    return row ? revisionFromRow(row) : undefined;
  }

  /** Runs `work` in the caller's transaction, or in a new one when there is none. */
  #atomically<T>(work: (db: Kysely<Tables> | Transaction<Tables>) => Promise<T>): Promise<T> {
    return this.db.isTransaction ? work(this.db) : this.db.transaction().execute(work);
  }
}

function staleVersion(id: string, current: number | undefined, expected: number): GennakerError {
  if (current === undefined) return new GennakerError('GNK_E_NOT_FOUND', `pipeline ${id} does not exist`, [{ path: 'id' }]);
  return new GennakerError('GNK_E_CONFLICT', `pipeline ${id} is at version ${current}, not ${expected}; read it again and retry`, [
    { path: 'version', expected: String(current) },
  ]);
}

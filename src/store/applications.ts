import type { Kysely } from 'kysely';
import { GennakerError } from '../core/errors.js';
import type { Tables } from './tables.js';

export interface Application {
  readonly name: string;
  readonly attributes: Readonly<Record<string, unknown>>;
  /** Increases by one on every change; writers pass the version they read (optimistic concurrency). */
  readonly version: number;
  readonly createdAt: number;
  readonly updatedAt: number;
}

type Row = Tables['applications'];

function fromRow(row: Row): Application {
  return {
    name: row.name,
    attributes: JSON.parse(row.attributes) as Record<string, unknown>,
    version: row.version,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export class ApplicationRepository {
  constructor(
    private readonly db: Kysely<Tables>,
    private readonly now: () => number,
  ) {}

  async create(name: string, attributes: Record<string, unknown>): Promise<Application> {
    const at = this.now();
    const row = await this.db
      .insertInto('applications')
      .values({ name, attributes: JSON.stringify(attributes), version: 1, created_at: at, updated_at: at })
      .onConflict((conflict) => conflict.column('name').doNothing())
      .returningAll()
      .executeTakeFirst();
    if (!row) {
      throw new GennakerError('GNK_E_ALREADY_EXISTS', `application '${name}' already exists`, [{ path: 'name' }]);
    }
    return fromRow(row);
  }

  async get(name: string): Promise<Application | undefined> {
    const row = await this.db.selectFrom('applications').selectAll().where('name', '=', name).executeTakeFirst();
    return row ? fromRow(row) : undefined;
  }

  async list(): Promise<Application[]> {
    const rows = await this.db.selectFrom('applications').selectAll().orderBy('name').execute();
    return rows.map(fromRow);
  }

  /** Replaces the attributes if the stored version is still `expectedVersion`. */
  async update(name: string, attributes: Record<string, unknown>, expectedVersion: number): Promise<Application> {
    const row = await this.db
      .updateTable('applications')
      .set({ attributes: JSON.stringify(attributes), version: expectedVersion + 1, updated_at: this.now() })
      .where('name', '=', name)
      .where('version', '=', expectedVersion)
      .returningAll()
      .executeTakeFirst();
    if (row) return fromRow(row);
    const current = await this.get(name);
    if (!current) throw new GennakerError('GNK_E_NOT_FOUND', `application '${name}' does not exist`, [{ path: 'name' }]);
    throw new GennakerError(
      'GNK_E_CONFLICT',
      `application '${name}' is at version ${current.version}, not ${expectedVersion}; read it again and retry`,
      [{ path: 'version', expected: String(current.version) }],
    );
  }

  async delete(name: string): Promise<boolean> {
    const result = await this.db.deleteFrom('applications').where('name', '=', name).executeTakeFirst();
    return result.numDeletedRows > 0n;
  }
}

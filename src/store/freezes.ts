import type { Kysely } from 'kysely';
import { GennakerError } from '../core/errors.js';
import type { Freeze } from '../core/time-rules/index.js';
import type { Tables } from './tables.js';

export class FreezeRepository {
  constructor(private readonly db: Kysely<Tables>) {}

  async create(freeze: Freeze): Promise<void> {
    const inserted = await this.db
      .insertInto('freezes')
      .values({ id: freeze.id, body: JSON.stringify(freeze), lifted_at: null, lifted_by: null })
      .onConflict((conflict) => conflict.column('id').doNothing())
      .executeTakeFirst();
    if (Number(inserted.numInsertedOrUpdatedRows ?? 0n) === 0) {
      throw new GennakerError('GNK_E_ALREADY_EXISTS', `freeze ${freeze.id} already exists`, [{ path: 'id' }]);
    }
  }

  /** Ends a freeze now; lifting one already lifted changes nothing. */
  async lift(id: string, by: string, at: number): Promise<void> {
    const row = await this.db.selectFrom('freezes').select('lifted_at').where('id', '=', id).executeTakeFirst();
    if (!row) throw new GennakerError('GNK_E_NOT_FOUND', `freeze ${id} does not exist`, [{ path: 'id' }]);
    await this.db.updateTable('freezes').set({ lifted_at: at, lifted_by: by }).where('id', '=', id).where('lifted_at', 'is', null).execute();
  }

  /** A freeze, lifted or not. */
  async get(id: string): Promise<Freeze | undefined> {
    const row = await this.db.selectFrom('freezes').select('body').where('id', '=', id).executeTakeFirst();
    return row ? (JSON.parse(row.body) as Freeze) : undefined;
  }

  /** Freezes not lifted; the pure rules decide which of them apply at a given moment. */
  async unlifted(): Promise<Freeze[]> {
    const rows = await this.db.selectFrom('freezes').select('body').where('lifted_at', 'is', null).execute();
    return rows.map((row) => JSON.parse(row.body) as Freeze);
  }
}

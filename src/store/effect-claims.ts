import type { Kysely } from 'kysely';
import type { Tables } from './tables.js';

export class EffectClaimRepository {
  constructor(private readonly db: Kysely<Tables>) {}

  /** Claims `key` for `owner` unless someone holds it already; answers who holds it now. */
  async claim(key: string, owner: string, at: number): Promise<string> {
    await this.db
      .insertInto('effect_claims')
      .values({ key, owner, claimed_at: at })
      .onConflict((conflict) => conflict.column('key').doNothing())
      .execute();
    const row = await this.db.selectFrom('effect_claims').select('owner').where('key', '=', key).executeTakeFirstOrThrow();
    return row.owner;
  }
}

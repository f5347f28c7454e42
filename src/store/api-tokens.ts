import type { Kysely } from 'kysely';
import type { Tables } from './tables.js';

/** An API token's record; the token itself is never stored, only its SHA-256. */
export interface StoredApiToken {
  readonly id: string;
  readonly owner: string;
  readonly name: string;
  readonly createdAt: number;
  readonly expiresAt: number | null;
  readonly lastUsedAt: number | null;
  readonly revokedAt: number | null;
}

type Row = Tables['api_tokens'];

const nullableNumber = (value: number | null): number | null => (value === null ? null : Number(value));

function fromRow(row: Row): StoredApiToken {
  return {
    id: row.id,
    owner: row.owner,
    name: row.name,
    createdAt: Number(row.created_at),
    expiresAt: nullableNumber(row.expires_at),
    lastUsedAt: nullableNumber(row.last_used_at),
    revokedAt: nullableNumber(row.revoked_at),
  };
}

export class ApiTokenRepository {
  constructor(private readonly db: Kysely<Tables>) {}

  async create(token: Omit<StoredApiToken, 'lastUsedAt' | 'revokedAt'> & { readonly tokenSha256: string }): Promise<StoredApiToken> {
    const row = await this.db
      .insertInto('api_tokens')
      .values({
        id: token.id,
        owner: token.owner,
        name: token.name,
        token_sha256: token.tokenSha256,
        created_at: token.createdAt,
        expires_at: token.expiresAt,
        last_used_at: null,
        revoked_at: null,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    return fromRow(row);
  }

  async findBySha256(tokenSha256: string): Promise<StoredApiToken | undefined> {
    const row = await this.db.selectFrom('api_tokens').selectAll().where('token_sha256', '=', tokenSha256).executeTakeFirst();
    return row ? fromRow(row) : undefined;
  }

  async get(id: string): Promise<StoredApiToken | undefined> {
    const row = await this.db.selectFrom('api_tokens').selectAll().where('id', '=', id).executeTakeFirst();
    return row ? fromRow(row) : undefined;
  }

  /** Every token, or one owner's; newest first. */
  async list(owner?: string): Promise<StoredApiToken[]> {
    let query = this.db.selectFrom('api_tokens').selectAll();
    if (owner !== undefined) query = query.where('owner', '=', owner);
    return (await query.orderBy('created_at', 'desc').orderBy('id').execute()).map(fromRow);
  }

  /** True when this call revoked it; a token already revoked keeps its first revocation time. */
  async revoke(id: string, at: number): Promise<boolean> {
    const result = await this.db.updateTable('api_tokens').set({ revoked_at: at }).where('id', '=', id).where('revoked_at', 'is', null).executeTakeFirst();
    return result.numUpdatedRows > 0n;
  }

  async recordUse(id: string, at: number): Promise<void> {
    await this.db.updateTable('api_tokens').set({ last_used_at: at }).where('id', '=', id).execute();
  }
}

import type { Kysely } from 'kysely';
import type { Tables } from './tables.js';

/** A login session; the cookie carries the id, the store only its SHA-256. */
export interface StoredSession {
  readonly user: string;
  readonly createdAt: number;
  readonly expiresAt: number;
}

export class SessionRepository {
  constructor(private readonly db: Kysely<Tables>) {}

  async create(session: StoredSession & { readonly idSha256: string }): Promise<void> {
    await this.db
      .insertInto('sessions')
      .values({ id_sha256: session.idSha256, user_name: session.user, created_at: session.createdAt, expires_at: session.expiresAt })
      .execute();
  }

  async find(idSha256: string): Promise<StoredSession | undefined> {
    const row = await this.db.selectFrom('sessions').selectAll().where('id_sha256', '=', idSha256).executeTakeFirst();
    return row ? { user: row.user_name, createdAt: Number(row.created_at), expiresAt: Number(row.expires_at) } : undefined;
  }

  async delete(idSha256: string): Promise<boolean> {
    const result = await this.db.deleteFrom('sessions').where('id_sha256', '=', idSha256).executeTakeFirst();
    return result.numDeletedRows > 0n;
  }

  /**
   * Ends a user's sessions but the one whose id hashes to `keepIdSha256` (after a password change, so a
   * session stolen with the old password dies, while the one that made the change goes on).
   */
  async deleteForUser(user: string, keepIdSha256?: string): Promise<number> {
    let query = this.db.deleteFrom('sessions').where('user_name', '=', user);
    if (keepIdSha256 !== undefined) query = query.where('id_sha256', '!=', keepIdSha256);
    const result = await query.executeTakeFirst();
    return Number(result.numDeletedRows);
  }

  async deleteExpired(now: number): Promise<number> {
    const result = await this.db.deleteFrom('sessions').where('expires_at', '<=', now).executeTakeFirst();
    return Number(result.numDeletedRows);
  }
}

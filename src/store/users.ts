import type { Kysely } from 'kysely';
import type { Principal, PrincipalKind } from '../core/auth/model.js';
import { principalFor } from '../core/auth/permissions.js';
import { GennakerError } from '../core/errors.js';
import type { Tables } from './tables.js';

/** A local user or service account. Service accounts have no password and never log in. */
export interface StoredUser {
  readonly name: string;
  readonly kind: PrincipalKind;
  readonly roles: readonly string[];
  /** `scrypt$…`; null for service accounts. */
  readonly passwordHash: string | null;
  readonly createdAt: number;
  readonly updatedAt: number;
}

type Row = Tables['users'];

function fromRow(row: Row): StoredUser {
  return {
    name: row.name,
    kind: row.kind === 'service' ? 'service' : 'user',
    roles: JSON.parse(row.roles) as string[],
    passwordHash: row.password_hash,
    createdAt: Number(row.created_at),
    updatedAt: Number(row.updated_at),
  };
}

function notFound(name: string): GennakerError {
  return new GennakerError('GNK_E_NOT_FOUND', `user '${name}' does not exist`, [{ path: 'name' }]);
}

export class UserRepository {
  constructor(
    private readonly db: Kysely<Tables>,
    private readonly now: () => number,
  ) {}

  async create(user: { name: string; kind: PrincipalKind; roles: readonly string[]; passwordHash: string | null }): Promise<StoredUser> {
    const at = this.now();
    const row = await this.db
      .insertInto('users')
      .values({ name: user.name, kind: user.kind, roles: JSON.stringify(user.roles), password_hash: user.passwordHash, created_at: at, updated_at: at })
      .onConflict((conflict) => conflict.column('name').doNothing())
      .returningAll()
      .executeTakeFirst();
    if (!row) throw new GennakerError('GNK_E_ALREADY_EXISTS', `user '${user.name}' already exists`, [{ path: 'name' }]);
    return fromRow(row);
  }

  async get(name: string): Promise<StoredUser | undefined> {
    const row = await this.db.selectFrom('users').selectAll().where('name', '=', name).executeTakeFirst();
    return row ? fromRow(row) : undefined;
  }

  async list(): Promise<StoredUser[]> {
    return (await this.db.selectFrom('users').selectAll().orderBy('name').execute()).map(fromRow);
  }

  async count(): Promise<number> {
    const row = await this.db.selectFrom('users').select((eb) => eb.fn.countAll<number | string>().as('n')).executeTakeFirstOrThrow();
    return Number(row.n);
  }

  async setRoles(name: string, roles: readonly string[]): Promise<StoredUser> {
    const row = await this.db
      .updateTable('users')
      .set({ roles: JSON.stringify(roles), updated_at: this.now() })
      .where('name', '=', name)
      .returningAll()
      .executeTakeFirst();
    if (!row) throw notFound(name);
    return fromRow(row);
  }

  async setPasswordHash(name: string, passwordHash: string): Promise<void> {
    const result = await this.db
      .updateTable('users')
      .set({ password_hash: passwordHash, updated_at: this.now() })
      .where('name', '=', name)
      .where('kind', '=', 'user')
      .executeTakeFirst();
    if (result.numUpdatedRows === 0n) throw notFound(name);
  }

  /** Deletes the user with their tokens and sessions (the foreign keys cascade). */
  async delete(name: string): Promise<boolean> {
    const result = await this.db.deleteFrom('users').where('name', '=', name).executeTakeFirst();
    return result.numDeletedRows > 0n;
  }
}

/**
 * The principal a pipeline's automatic triggers run as: the service account its `serviceAccount`
 * field names. Refuses a name that is not a service account, so a pipeline cannot borrow a person.
 */
export async function principalForServiceAccount(users: UserRepository, name: string, adminRole: string): Promise<Principal> {
  const user = await users.get(name);
  if (user?.kind !== 'service') {
    throw new GennakerError('GNK_E_NOT_FOUND', `no service account '${name}'`, [{ path: 'serviceAccount', expected: 'the name of a service account' }]);
  }
  return principalFor(user, adminRole, 'trigger');
}

import { sql, type Kysely } from 'kysely';
import type { MessageBody } from '../core/execution/index.js';
import type { StoreEngine } from './store.js';
import type { Tables } from './tables.js';

export interface QueuedMessage {
  readonly id: string;
  readonly executionId: string;
  readonly body: MessageBody;
  readonly deliverAt: number;
  readonly leaseOwner: string | null;
  readonly leaseUntil: number;
}

export async function insertMessages(db: Kysely<Tables>, messages: readonly QueuedMessage[]): Promise<void> {
  if (messages.length === 0) return;
  await db
    .insertInto('queue_messages')
    .values(
      messages.map((message) => ({
        id: message.id,
        execution_id: message.executionId,
        body: JSON.stringify(message.body),
        deliver_at: message.deliverAt,
        lease_owner: message.leaseOwner,
        lease_until: message.leaseUntil,
        attempts: 0,
      })),
    )
    .execute();
}

function fromRow(row: Tables['queue_messages']): QueuedMessage {
  return {
    id: row.id,
    executionId: row.execution_id,
    body: JSON.parse(row.body) as MessageBody,
    deliverAt: row.deliver_at,
    leaseOwner: row.lease_owner,
    leaseUntil: row.lease_until,
  };
}

/**
 * The durable delay queue. A message is deliverable when it is due and nobody holds a live lease on
 * it; claiming takes the lease. On PostgreSQL concurrent claimers skip each other's rows
 * (FOR UPDATE SKIP LOCKED); SQLite has one writer at a time, so a plain conditional update suffices.
 */
export class QueueRepository {
  constructor(
    private readonly db: Kysely<Tables>,
    private readonly engine: StoreEngine,
  ) {}

  async claimDue(owner: string, now: number, leaseMs: number, limit: number): Promise<QueuedMessage[]> {
    let due = this.db
      .selectFrom('queue_messages')
      .select('id')
      .where('deliver_at', '<=', now)
      .where('lease_until', '<=', now)
      .orderBy('deliver_at')
      .limit(limit);
    if (this.engine === 'postgres') due = due.forUpdate().skipLocked();
    const rows = await this.db
      .updateTable('queue_messages')
      .set((eb) => ({ lease_owner: owner, lease_until: now + leaseMs, attempts: eb('attempts', '+', 1) }))
      .where('id', 'in', due)
      .where('lease_until', '<=', now)
      .returningAll()
      .execute();
    return rows.map(fromRow);
  }

  /**
   * Extends the leases this owner holds on messages it is still working on. On PostgreSQL a message
   * whose row a commit has locked (it is consuming the message) is skipped: it needs no renewal if the
   * commit succeeds and gets one next time if it fails, while waiting for it with other rows already
   * locked deadlocked against that commit.
   */
  async renewLeases(owner: string, ids: readonly string[], until: number): Promise<void> {
    if (ids.length === 0) return;
    let held = this.db.selectFrom('queue_messages').select('id').where('lease_owner', '=', owner).where('id', 'in', [...ids]);
    if (this.engine === 'postgres') held = held.forUpdate().skipLocked();
    await this.db.updateTable('queue_messages').set({ lease_until: until }).where('lease_owner', '=', owner).where('id', 'in', held).execute();
  }

  /** Gives up leases so the messages are delivered again at once (after a conflicting transition). */
  async release(owner: string, ids: readonly string[]): Promise<void> {
    if (ids.length === 0) return;
    await this.db.updateTable('queue_messages').set({ lease_owner: null, lease_until: 0 }).where('lease_owner', '=', owner).where('id', 'in', [...ids]).execute();
  }

  /**
   * Frees the leases held by earlier runs of a node (owners are `nodeId#instance`): that run is gone,
   * and waiting for its leases to expire would only delay recovery.
   */
  async releaseNode(nodeId: string): Promise<number> {
    const prefix = `${nodeId}#`;
    // A prefix test with substr, not LIKE: node names may contain % or _, and the engines escape LIKE differently.
    const result = await this.db
      .updateTable('queue_messages')
      .set({ lease_owner: null, lease_until: 0 })
      .where(sql`substr(lease_owner, 1, ${prefix.length})`, '=', prefix)
      .executeTakeFirst();
    return Number(result.numUpdatedRows);
  }

  /** The delivery time of the oldest message due at `now` and not yet consumed (held or not); undefined when none is. */
  async oldestDueAt(now: number): Promise<number | undefined> {
    const row = await this.db
      .selectFrom('queue_messages')
      .select((eb) => eb.fn.min<number>('deliver_at').as('oldest'))
      .where('deliver_at', '<=', now)
      .executeTakeFirst();
    return row?.oldest === undefined || row.oldest === null ? undefined : Number(row.oldest);
  }

  async count(): Promise<number> {
    const row = await this.db.selectFrom('queue_messages').select((eb) => eb.fn.countAll<number>().as('count')).executeTakeFirstOrThrow();
    return Number(row.count);
  }
}

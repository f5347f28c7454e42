import { createHash } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import { seal, type AuditEvent, type AuditEventDraft, type ChainHead, type Sha256Hex } from '../core/audit/chain.js';
import type { StoreEngine } from './store.js';
import type { Tables } from './tables.js';

type Row = Tables['audit_events'];

export const sha256Hex: Sha256Hex = (text) => createHash('sha256').update(text, 'utf8').digest('hex');

/** One key for the whole chain: appenders in every process sharing a PostgreSQL database take turns on it. */
const appendLockKey = 0x6e6e6b_a0d17;
/** A lost race on the seq fails the insert; the appender reads the new head and seals again. */
const appendAttempts = 5;

export interface AuditQuery {
  /** Only events after this seq (the page cursor). */
  readonly afterSeq?: number;
  readonly limit: number;
  readonly application?: string;
  /** Only events of these applications (what the caller may read); events of no application are left out. */
  readonly visibleApplications?: readonly string[];
  readonly actor?: string;
  readonly action?: string;
  readonly executionId?: string;
}

function parseSummary(text: string): Record<string, unknown> {
  try {
    const value = JSON.parse(text) as unknown;
    if (value !== null && typeof value === 'object' && !Array.isArray(value)) return value as Record<string, unknown>;
  } catch {
    // An unreadable summary was not written by the appender: it fails its hash and verify names it.
  }
  return { unreadableSummary: text };
}

function fromRow(row: Row): AuditEvent {
  return {
    seq: Number(row.seq),
    time: Number(row.time),
    actor: row.actor,
    action: row.action,
    target: { type: row.target_type, id: row.target_id },
    application: row.application,
    summary: parseSummary(row.summary),
    executionId: row.execution_id,
    prevHash: row.prev_hash,
    hash: row.hash,
  };
}

function toRow(event: AuditEvent): Row {
  return {
    seq: event.seq,
    time: event.time,
    actor: event.actor,
    action: event.action,
    target_type: event.target.type,
    target_id: event.target.id,
    application: event.application,
    summary: JSON.stringify(event.summary),
    execution_id: event.executionId,
    prev_hash: event.prevHash,
    hash: event.hash,
  };
}

function isUniqueViolation(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === '23505' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY' || code === 'SQLITE_CONSTRAINT_UNIQUE';
}

export class AuditRepository {
  constructor(
    private readonly db: Kysely<Tables>,
    private readonly engine: StoreEngine,
  ) {}

  /**
   * Seals the draft after the current head and stores it, in one transaction that holds the chain's
   * lock (PostgreSQL: an advisory transaction lock; SQLite: the write lock BEGIN IMMEDIATE takes), so
   * appenders in different processes never fork the chain. Resolves once the event is committed.
   */
  async append(draft: AuditEventDraft): Promise<AuditEvent> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.db.transaction().execute(async (trx) => {
          if (this.engine === 'postgres') await sql`select pg_advisory_xact_lock(${appendLockKey})`.execute(trx);
          const event = seal(sha256Hex, await headOf(trx), draft);
          await trx.insertInto('audit_events').values(toRow(event)).execute();
          return event;
        });
      } catch (error) {
        if (!isUniqueViolation(error) || attempt >= appendAttempts) throw error;
      }
    }
  }

  head(): Promise<ChainHead | undefined> {
    return headOf(this.db);
  }

  /** Events in seq order, filtered; pages continue with `afterSeq` = the last seq of the page before. */
  async list(query: AuditQuery): Promise<AuditEvent[]> {
    let select = this.db.selectFrom('audit_events').selectAll();
    if (query.afterSeq !== undefined) select = select.where('seq', '>', query.afterSeq);
    if (query.application !== undefined) select = select.where('application', '=', query.application);
    if (query.visibleApplications !== undefined) {
      if (query.visibleApplications.length === 0) return [];
      select = select.where('application', 'in', query.visibleApplications);
    }
    if (query.actor !== undefined) select = select.where('actor', '=', query.actor);
    if (query.action !== undefined) select = select.where('action', '=', query.action);
    if (query.executionId !== undefined) select = select.where('execution_id', '=', query.executionId);
    const rows = await select.orderBy('seq').limit(query.limit).execute();
    return rows.map(fromRow);
  }

  /** Every application some event concerns. */
  async applications(): Promise<string[]> {
    const rows = await this.db.selectFrom('audit_events').select('application').distinct().where('application', 'is not', null).execute();
    return rows.map((row) => row.application!);
  }

  /** The last seq delivered to the sink, 0 when it has received nothing. */
  async sinkCursor(sink: string): Promise<number> {
    const row = await this.db.selectFrom('audit_sink_cursors').select('seq').where('sink', '=', sink).executeTakeFirst();
    return row ? Number(row.seq) : 0;
  }

  /** Moves the cursor forward only: processes sharing the database each deliver, and a slower one must not pull it back. */
  async advanceSinkCursor(sink: string, seq: number): Promise<void> {
    await this.db
      .insertInto('audit_sink_cursors')
      .values({ sink, seq })
      .onConflict((conflict) =>
        conflict
          .column('sink')
          .doUpdateSet({ seq: (update) => update.ref('excluded.seq') })
          .where('audit_sink_cursors.seq', '<', (where) => where.ref('excluded.seq')),
      )
      .execute();
  }
}

async function headOf(db: Kysely<Tables>): Promise<ChainHead | undefined> {
  const row = await db.selectFrom('audit_events').select(['seq', 'hash']).orderBy('seq', 'desc').limit(1).executeTakeFirst();
  return row && { seq: Number(row.seq), hash: row.hash };
}

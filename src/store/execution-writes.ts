import { sql, type Kysely } from 'kysely';
import { executionStatuses, isActive, type Execution, type Stage } from '../core/execution/index.js';
import { executionIdOf, type ExecutionWrite, type TransitionCommit } from './execution-write.js';
import { writeRunInOneStatement } from './execution-writes-postgres.js';
import { insertMessages } from './queue.js';
import type { StoreEngine } from './store.js';
import type { Tables } from './tables.js';

/** Rows per multi-row statement: far below SQLite's limit of 32,766 bound parameters. */
const rowsPerStatement = 500;

function chunks<T>(items: readonly T[]): T[][] {
  const result: T[][] = [];
  for (let i = 0; i < items.length; i += rowsPerStatement) result.push(items.slice(i, i + rowsPerStatement));
  return result;
}

/**
 * Splits writes, in order, into runs in which no execution appears twice. Writes within a run touch
 * disjoint rows (messages have fresh ids), so a run can be written with one statement per kind of
 * row (or one statement in all) and still mean exactly what writing its members one by one would.
 */
function independentRuns(writes: readonly ExecutionWrite[]): ExecutionWrite[][] {
  const runs: ExecutionWrite[][] = [];
  let current: ExecutionWrite[] = [];
  let ids = new Set<string>();
  for (const write of writes) {
    const id = executionIdOf(write);
    if (ids.has(id)) {
      runs.push(current);
      current = [];
      ids = new Set();
    }
    current.push(write);
    ids.add(id);
  }
  if (current.length > 0) runs.push(current);
  return runs;
}

async function insertExecutions(db: Kysely<Tables>, executions: readonly Execution[]): Promise<Set<string>> {
  const created = new Set<string>();
  for (const chunk of chunks(executions)) {
    const rows = await db
      .insertInto('executions')
      .values(
        chunk.map((execution) => ({
          id: execution.id,
          type: execution.type,
          application: execution.application,
          pipeline_config_id: execution.pipelineConfigId ?? null,
          status: execution.status,
          build_time: execution.buildTime,
          end_time: execution.endTime ?? null,
          version: execution.version,
          body: JSON.stringify(execution),
        })),
      )
      .onConflict((conflict) => conflict.column('id').doNothing())
      .returning('id')
      .execute();
    for (const row of rows) created.add(row.id);
  }
  return created;
}

/**
 * Version-checked updates of many executions in one statement; returns the ids that were still at
 * their expected version. Only the columns a transition can change are written (type, application,
 * pipeline and build time are fixed at creation), so SQLite leaves the indexes on them alone. The
 * casts type the VALUES columns, which as a CTE's columns have no affinity of their own.
 */
async function updateExecutions(db: Kysely<Tables>, commits: readonly TransitionCommit[]): Promise<Set<string>> {
  const updated = new Set<string>();
  for (const chunk of chunks(commits)) {
    const values = sql.join(
      chunk.map(({ transition, expectedVersion }) => {
        const next = { ...transition.execution, version: expectedVersion + 1 };
        return sql`(${next.id}, cast(${expectedVersion} as integer), ${next.status}, cast(${next.endTime ?? null} as bigint), ${JSON.stringify(next)})`;
      }),
    );
    const result = await sql<{ id: string }>`
      with v (id, expected, status, end_time, body) as (values ${values})
      update executions
      set status = v.status, end_time = v.end_time, version = v.expected + 1, body = v.body
      from v
      where executions.id = v.id and executions.version = v.expected
      returning executions.id`.execute(db);
    for (const row of result.rows) updated.add(row.id);
  }
  return updated;
}

async function upsertStages(db: Kysely<Tables>, stages: readonly Stage[]): Promise<void> {
  for (const chunk of chunks(stages)) {
    await db
      .insertInto('stages')
      .values(chunk.map((stage) => ({ execution_id: stage.executionId, id: stage.id, body: JSON.stringify(stage) })))
      .onConflict((conflict) => conflict.columns(['execution_id', 'id']).doUpdateSet((eb) => ({ body: eb.ref('excluded.body') })))
      .execute();
  }
}

async function deleteStages(db: Kysely<Tables>, keys: readonly (readonly [string, string])[]): Promise<void> {
  for (const chunk of chunks(keys)) {
    await db
      .deleteFrom('stages')
      .where((eb) => eb(eb.refTuple('execution_id', 'id'), 'in', chunk.map(([executionId, stageId]) => eb.tuple(executionId, stageId))))
      .execute();
  }
}

async function deleteMessages(db: Kysely<Tables>, ids: readonly string[]): Promise<void> {
  for (const chunk of chunks(ids)) await db.deleteFrom('queue_messages').where('id', 'in', chunk).execute();
}

/**
 * SQLite: a run as one multi-row statement per kind of row, inside the caller's transaction. A
 * statement costs no round trip there, only its preparation and execution.
 */
async function writeRunOnSqlite(db: Kysely<Tables>, run: readonly ExecutionWrite[]): Promise<boolean[]> {
  const created = await insertExecutions(
    db,
    run.flatMap((write) => (write.kind === 'insert' ? [write.state.execution] : [])),
  );
  const updated = await updateExecutions(
    db,
    run.flatMap((write) => (write.kind === 'transition' && write.transition.executionChanged ? [write] : [])),
  );
  const applied = run.map((write) => {
    const id = executionIdOf(write);
    if (write.kind === 'insert') return created.has(id);
    return !write.transition.executionChanged || updated.has(id);
  });
  const landed = run.filter((_, index) => applied[index]);
  const changed = landed.flatMap((write) => (write.kind === 'transition' && write.transition.executionChanged ? [write.transition] : []));
  await upsertStages(db, [
    ...landed.flatMap((write) => (write.kind === 'insert' ? write.state.stages : [])),
    ...changed.flatMap((transition) => transition.changedStages),
  ]);
  await deleteStages(
    db,
    changed.flatMap((transition) => transition.deletedStageIds.map((stageId) => [transition.execution.id, stageId] as const)),
  );
  await deleteMessages(
    db,
    landed.flatMap((write) => (write.kind === 'transition' ? write.consumedMessageIds : [])),
  );
  for (const chunk of chunks(landed.flatMap((write) => (write.kind === 'insert' ? write.messages : write.newMessages)))) {
    await insertMessages(db, chunk);
  }
  return applied;
}

async function writeRunOnPostgres(db: Kysely<Tables>, run: readonly ExecutionWrite[]): Promise<boolean[]> {
  const landed = await writeRunInOneStatement(db, run);
  return run.map((write) => landed.has(executionIdOf(write)));
}

/**
 * Writes many executions' changes at once instead of a few statements per change: what lets one
 * group commit carry hundreds of transitions without a round trip (PostgreSQL) or a statement
 * preparation (SQLite) for each. All of it lands or none: in the caller's transaction, or in one of
 * its own (a single PostgreSQL statement is one by itself). Returns, in order, whether each write
 * applied: an insert unless its id exists, a transition if its execution was still at the expected
 * version (otherwise nothing of it is written, and the messages it consumed stay queued).
 */
export async function writeExecutions(db: Kysely<Tables>, engine: StoreEngine, writes: readonly ExecutionWrite[]): Promise<boolean[]> {
  if (writes.some(isConcurrencyLimited)) return writeWithLimits(db, engine, writes);
  const runs = independentRuns(writes);
  const writeRun = engine === 'postgres' ? writeRunOnPostgres : writeRunOnSqlite;
  if (engine === 'postgres' && runs.length === 1) return writeRun(db, runs[0]!);
  const writeAll = async (trx: Kysely<Tables>): Promise<boolean[]> => {
    const applied: boolean[] = [];
    for (const run of runs) applied.push(...(await writeRun(trx, run)));
    return applied;
  };
  return db.isTransaction ? writeAll(db) : db.transaction().execute(writeAll);
}

function isConcurrencyLimited(write: ExecutionWrite): boolean {
  return write.kind === 'transition' && write.concurrencyLimit !== undefined;
}

export const activeStatuses = executionStatuses.filter(isActive);

/**
 * A batch with runs starting under a concurrency limit: written in order, in one transaction, each
 * limited start on its own after counting the pipeline's active runs. On PostgreSQL an advisory lock
 * per pipeline makes concurrent counters take turns (each then sees the other's committed start); a
 * batch takes all of its locks first, in one order shared by every batch, so two batches (of one
 * process or of two) limiting the same pipelines wait for each other instead of deadlocking. On
 * SQLite the transaction already holds the database's write lock.
 */
async function writeWithLimits(db: Kysely<Tables>, engine: StoreEngine, writes: readonly ExecutionWrite[]): Promise<boolean[]> {
  const writeAll = async (trx: Kysely<Tables>): Promise<boolean[]> => {
    if (engine === 'postgres') await lockLimitedPipelines(trx, writes);
    const applied: boolean[] = [];
    let pending: ExecutionWrite[] = [];
    const flush = async (): Promise<void> => {
      for (const run of independentRuns(pending)) applied.push(...(await writeRunOnSqlite(trx, run)));
      pending = [];
    };
    for (const write of writes) {
      if (write.kind !== 'transition' || write.concurrencyLimit === undefined) {
        pending.push(write);
        continue;
      }
      await flush();
      const { pipelineConfigId, limit } = write.concurrencyLimit;
      const row = await trx
        .selectFrom('executions')
        .select((eb) => eb.fn.countAll<number>().as('count'))
        .where('pipeline_config_id', '=', pipelineConfigId)
        .where('status', 'in', activeStatuses)
        .where('id', '!=', write.transition.execution.id)
        .executeTakeFirstOrThrow();
      applied.push(Number(row.count) < limit ? (await writeRunOnSqlite(trx, [write]))[0]! : false);
    }
    await flush();
    return applied;
  };
  return db.isTransaction ? writeAll(db) : db.transaction().execute(writeAll);
}

/** Takes the advisory lock of every pipeline the batch limits, in one global order (see writeWithLimits). */
async function lockLimitedPipelines(trx: Kysely<Tables>, writes: readonly ExecutionWrite[]): Promise<void> {
  const pipelineConfigIds = new Set(writes.flatMap((write) => (write.kind === 'transition' && write.concurrencyLimit ? [write.concurrencyLimit.pipelineConfigId] : [])));
  const keys = [...pipelineConfigIds].map((id) => `gennaker-concurrency:${id}`);
  // Ordered by the lock's own key (the hash), not the text: two texts may share a hash. With ORDER BY,
  // PostgreSQL calls a volatile function in the select list after sorting, so in that order.
  await sql`select pg_advisory_xact_lock(lock_key) from (select distinct hashtext(key) as lock_key from unnest(${keys}::text[]) as key) as locks order by lock_key`.execute(trx);
}

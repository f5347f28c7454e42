import { sql, type Kysely } from 'kysely';
import { executionIdOf, type ExecutionWrite } from './execution-write.js';
import type { QueuedMessage } from './queue.js';
import type { Tables } from './tables.js';

/** Column arrays for unnest(): one bound parameter per column, whatever the number of rows. */
function columns<T, K extends string>(rows: readonly T[], pick: (row: T) => Record<K, unknown>, keys: readonly K[]): Record<K, unknown[]> {
  const result = Object.fromEntries(keys.map((key) => [key, [] as unknown[]])) as Record<K, unknown[]>;
  for (const row of rows) {
    const picked = pick(row);
    for (const key of keys) result[key].push(picked[key]);
  }
  return result;
}

/**
 * PostgreSQL: a whole run of independent writes as ONE statement (data-modifying WITH clauses), so a
 * group commit costs one round trip and one WAL flush however many transitions it carries. Rows travel
 * as arrays, one parameter per column, so the statement text is the same for every batch. The writes
 * of a transition or insert land only if its execution row was written (`ok`): inserted, updated at
 * the expected version, or not needing a change. Returns the ids of the executions whose writes landed.
 */
export async function writeRunInOneStatement(db: Kysely<Tables>, run: readonly ExecutionWrite[]): Promise<Set<string>> {
  const inserts = run.flatMap((write) => (write.kind === 'insert' ? [write] : []));
  const changed = run.flatMap((write) => (write.kind === 'transition' && write.transition.executionChanged ? [write] : []));
  const unconditional = run.flatMap((write) => (write.kind === 'transition' && !write.transition.executionChanged ? [executionIdOf(write)] : []));

  const created = columns(
    inserts,
    ({ state: { execution } }) => ({
      id: execution.id,
      type: execution.type,
      application: execution.application,
      pipelineConfigId: execution.pipelineConfigId ?? null,
      status: execution.status,
      buildTime: execution.buildTime,
      endTime: execution.endTime ?? null,
      version: execution.version,
      body: JSON.stringify(execution),
    }),
    ['id', 'type', 'application', 'pipelineConfigId', 'status', 'buildTime', 'endTime', 'version', 'body'],
  );
  const updated = columns(
    changed,
    ({ transition, expectedVersion }) => ({
      id: transition.execution.id,
      expected: expectedVersion,
      status: transition.execution.status,
      endTime: transition.execution.endTime ?? null,
      body: JSON.stringify({ ...transition.execution, version: expectedVersion + 1 }),
    }),
    ['id', 'expected', 'status', 'endTime', 'body'],
  );
  const stages = columns(
    [...inserts.flatMap((write) => write.state.stages), ...changed.flatMap((write) => write.transition.changedStages)],
    (stage) => ({ executionId: stage.executionId, id: stage.id, body: JSON.stringify(stage) }),
    ['executionId', 'id', 'body'],
  );
  const deletedStages = columns(
    changed.flatMap((write) => write.transition.deletedStageIds.map((stageId) => ({ executionId: write.transition.execution.id, stageId }))),
    (key) => key,
    ['executionId', 'stageId'],
  );
  const consumed = columns(
    run.flatMap((write) => (write.kind === 'transition' ? write.consumedMessageIds.map((id) => ({ writer: executionIdOf(write), id })) : [])),
    (entry) => entry,
    ['writer', 'id'],
  );
  const queued = columns(
    run.flatMap((write) => (write.kind === 'insert' ? write.messages : write.newMessages).map((message) => ({ writer: executionIdOf(write), message }))),
    ({ writer, message }: { writer: string; message: QueuedMessage }) => ({
      writer,
      id: message.id,
      executionId: message.executionId,
      body: JSON.stringify(message.body),
      deliverAt: message.deliverAt,
      leaseOwner: message.leaseOwner,
      leaseUntil: message.leaseUntil,
    }),
    ['writer', 'id', 'executionId', 'body', 'deliverAt', 'leaseOwner', 'leaseUntil'],
  );

  const result = await sql<{ id: string }>`
    with
    created as (
      insert into executions (id, type, application, pipeline_config_id, status, build_time, end_time, version, body)
      select * from unnest(${created.id}::text[], ${created.type}::text[], ${created.application}::text[], ${created.pipelineConfigId}::text[],
        ${created.status}::text[], ${created.buildTime}::bigint[], ${created.endTime}::bigint[], ${created.version}::integer[], ${created.body}::text[])
      on conflict (id) do nothing
      returning id
    ),
    updated as (
      update executions
      set status = v.status, end_time = v.end_time, version = v.expected + 1, body = v.body
      from unnest(${updated.id}::text[], ${updated.expected}::integer[], ${updated.status}::text[], ${updated.endTime}::bigint[], ${updated.body}::text[])
        as v (id, expected, status, end_time, body)
      where executions.id = v.id and executions.version = v.expected
      returning executions.id
    ),
    ok as (
      select id from created
      union all select id from updated
      union all select unnest(${unconditional}::text[])
    ),
    stage_rows as (
      insert into stages (execution_id, id, body)
      select s.execution_id, s.id, s.body
      from unnest(${stages.executionId}::text[], ${stages.id}::text[], ${stages.body}::text[]) as s (execution_id, id, body)
      where s.execution_id in (select id from ok)
      on conflict (execution_id, id) do update set body = excluded.body
    ),
    stage_deletes as (
      delete from stages
      using unnest(${deletedStages.executionId}::text[], ${deletedStages.stageId}::text[]) as d (execution_id, id)
      where stages.execution_id = d.execution_id and stages.id = d.id and d.execution_id in (select id from ok)
    ),
    consumed as (
      delete from queue_messages
      using unnest(${consumed.writer}::text[], ${consumed.id}::text[]) as c (writer, id)
      where queue_messages.id = c.id and c.writer in (select id from ok)
    ),
    queued as (
      insert into queue_messages (id, execution_id, body, deliver_at, lease_owner, lease_until, attempts)
      select m.id, m.execution_id, m.body, m.deliver_at, m.lease_owner, m.lease_until, 0
      from unnest(${queued.writer}::text[], ${queued.id}::text[], ${queued.executionId}::text[], ${queued.body}::text[],
        ${queued.deliverAt}::bigint[], ${queued.leaseOwner}::text[], ${queued.leaseUntil}::bigint[])
        as m (writer, id, execution_id, body, deliver_at, lease_owner, lease_until)
      where m.writer in (select id from ok)
    )
    select id from ok`.execute(db);
  return new Set(result.rows.map((row) => row.id));
}

import type { Kysely } from 'kysely';
import type { Execution, ExecutionState, ExecutionStatus, Stage } from '../core/execution/index.js';
import type { ExecutionWrite } from './execution-write.js';
import { activeStatuses, writeExecutions } from './execution-writes.js';
import type { StoreEngine } from './store.js';
import type { Tables } from './tables.js';

export type { ExecutionInsert, ExecutionWrite, TransitionCommit } from './execution-write.js';

export interface ExecutionQuery {
  readonly application?: string;
  readonly pipelineConfigId?: string;
  readonly statuses?: readonly ExecutionStatus[];
  /** build_time bounds, epoch ms, inclusive. */
  readonly from?: number;
  readonly to?: number;
  readonly limit?: number;
  /** Only executions after this one in the listing order (newest first): the cursor of the previous page. */
  readonly after?: ExecutionPosition;
}

/** Where an execution sits in the listing order: build time, then id, both descending. */
export interface ExecutionPosition {
  readonly buildTime: number;
  readonly id: string;
}

export interface ExecutionSummary {
  readonly id: string;
  readonly application: string;
  readonly pipelineConfigId?: string;
  readonly status: ExecutionStatus;
  readonly buildTime: number;
  readonly endTime?: number;
}


export class ExecutionRepository {
  constructor(
    private readonly db: Kysely<Tables>,
    private readonly engine: StoreEngine,
  ) {}

  /** Writes new executions and transitions, atomically, with a few multi-row statements; see writeExecutions. */
  write(writes: readonly ExecutionWrite[]): Promise<boolean[]> {
    return writeExecutions(this.db, this.engine, writes);
  }

  async load(id: string): Promise<ExecutionState | undefined> {
    const row = await this.db.selectFrom('executions').select(['body', 'version']).where('id', '=', id).executeTakeFirst();
    if (!row) return undefined;
    const stageRows = await this.db.selectFrom('stages').select('body').where('execution_id', '=', id).execute();
    const execution = { ...(JSON.parse(row.body) as Execution), version: row.version };
    return { execution, stages: stageRows.map((stageRow) => JSON.parse(stageRow.body) as Stage) };
  }

  /** The application an execution belongs to, without loading it. */
  async applicationOf(id: string): Promise<string | undefined> {
    const row = await this.db.selectFrom('executions').select('application').where('id', '=', id).executeTakeFirst();
    return row?.application;
  }

  async list(query: ExecutionQuery): Promise<ExecutionSummary[]> {
    let select = this.db
      .selectFrom('executions')
      .select(['id', 'application', 'pipeline_config_id', 'status', 'build_time', 'end_time'])
      .orderBy('build_time', 'desc')
      .orderBy('id', 'desc')
      .limit(query.limit ?? 100);
    if (query.application !== undefined) select = select.where('application', '=', query.application);
    if (query.pipelineConfigId !== undefined) select = select.where('pipeline_config_id', '=', query.pipelineConfigId);
    if (query.statuses !== undefined && query.statuses.length > 0) select = select.where('status', 'in', [...query.statuses]);
    if (query.from !== undefined) select = select.where('build_time', '>=', query.from);
    if (query.to !== undefined) select = select.where('build_time', '<=', query.to);
    const after = query.after;
    if (after !== undefined) {
      select = select.where((eb) =>
        eb.or([eb('build_time', '<', after.buildTime), eb.and([eb('build_time', '=', after.buildTime), eb('id', '<', after.id)])]),
      );
    }
    const rows = await select.execute();
    return rows.map((row) => ({
      id: row.id,
      application: row.application,
      ...(row.pipeline_config_id === null ? {} : { pipelineConfigId: row.pipeline_config_id }),
      status: row.status as ExecutionStatus,
      buildTime: row.build_time,
      ...(row.end_time === null ? {} : { endTime: row.end_time }),
    }));
  }

  async countActive(pipelineConfigId: string): Promise<number> {
    const row = await this.db
      .selectFrom('executions')
      .select((eb) => eb.fn.countAll<number>().as('count'))
      .where('pipeline_config_id', '=', pipelineConfigId)
      .where('status', 'in', activeStatuses)
      .executeTakeFirstOrThrow();
    return Number(row.count);
  }

  /** Executions of a pipeline parked NOT_STARTED by its concurrency rules. */
  async waiting(pipelineConfigId: string): Promise<{ id: string; buildTime: number }[]> {
    const rows = await this.db
      .selectFrom('executions')
      .select(['id', 'build_time', 'body'])
      .where('pipeline_config_id', '=', pipelineConfigId)
      .where('status', '=', 'NOT_STARTED')
      .execute();
    return rows
      .filter((row) => !(JSON.parse(row.body) as Execution).canceled)
      .map((row) => ({ id: row.id, buildTime: row.build_time }));
  }

  /** RUNNING executions with no message in the queue: nothing would ever move them (zombies). */
  async runningWithoutMessages(limit = 100): Promise<string[]> {
    const rows = await this.db
      .selectFrom('executions')
      .select('id')
      .where('status', '=', 'RUNNING')
      .where(({ not, exists, selectFrom }) =>
        not(exists(selectFrom('queue_messages').select('queue_messages.id').whereRef('queue_messages.execution_id', '=', 'executions.id'))),
      )
      .limit(limit)
      .execute();
    return rows.map((row) => row.id);
  }

  /** How many executions are in each status (statuses with none are absent); one pass over the status index. */
  async countByStatus(): Promise<Map<ExecutionStatus, number>> {
    const rows = await this.db
      .selectFrom('executions')
      .select(['status', (eb) => eb.fn.countAll<number>().as('count')])
      .groupBy('status')
      .execute();
    return new Map(rows.map((row) => [row.status as ExecutionStatus, Number(row.count)]));
  }

  /**
   * Deletes finished executions that ended before `cutoff`, keeping the newest `keepPerPipeline` of each
   * pipeline (as Front50 keeps at least five). Returns how many were removed.
   */
  async deleteFinishedBefore(cutoff: number, keepPerPipeline: number): Promise<number> {
    const candidates = await this.db
      .selectFrom('executions')
      .select(['id', 'pipeline_config_id', 'build_time'])
      .where('end_time', 'is not', null)
      .where('end_time', '<', cutoff)
      .orderBy('build_time', 'desc')
      .execute();
    const keptNewer = new Map<string, number>();
    const doomed: string[] = [];
    for (const row of candidates) {
      const key = row.pipeline_config_id ?? '';
      const newer = row.pipeline_config_id === null ? keepPerPipeline : await this.#newerCount(key, row.build_time, keptNewer);
      if (newer >= keepPerPipeline) doomed.push(row.id);
    }
    for (let i = 0; i < doomed.length; i += 500) {
      const batch = doomed.slice(i, i + 500);
      await this.db.deleteFrom('stages').where('execution_id', 'in', batch).execute();
      await this.db.deleteFrom('queue_messages').where('execution_id', 'in', batch).execute();
      await this.db.deleteFrom('executions').where('id', 'in', batch).execute();
    }
    return doomed.length;
  }

  async #newerCount(pipelineConfigId: string, buildTime: number, cache: Map<string, number>): Promise<number> {
    const row = await this.db
      .selectFrom('executions')
      .select((eb) => eb.fn.countAll<number>().as('count'))
      .where('pipeline_config_id', '=', pipelineConfigId)
      .where('build_time', '>', buildTime)
      .executeTakeFirstOrThrow();
    cache.set(pipelineConfigId, Number(row.count));
    return Number(row.count);
  }
}

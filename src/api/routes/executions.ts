import { z } from 'zod';
import { GennakerError } from '../../core/errors.js';
import type { ExecutionState } from '../../core/execution/index.js';
import { checkJudgment, judgmentStatuses } from '../../core/execution/judgment-answer.js';
import { executionStatuses } from '../../core/execution/status.js';
import type { StageFields } from '../../core/pipeline/accounts-named.js';
import type { ExecutionPosition } from '../../store/executions.js';
import { forbidden, principalOf } from '../access.js';
import { requireAccountWrite } from './account-write.js';
import type { ApiApp, ApiDependencies } from '../server.js';
import { errorResponses, executionApplication, idParams, pipelineApplication } from './shared.js';

const executionSchema = z.object({
  execution: z.looseObject({ id: z.string(), application: z.string(), status: z.enum(executionStatuses) }),
  stages: z.array(z.looseObject({ id: z.string(), refId: z.string(), type: z.string(), status: z.enum(executionStatuses) })),
});

const startedSchema = z.object({ id: z.string() });

const summarySchema = z.object({
  id: z.string(),
  application: z.string(),
  pipelineConfigId: z.string().optional(),
  status: z.enum(executionStatuses),
  buildTime: z.number(),
  endTime: z.number().optional(),
});

/** `?status=RUNNING&status=PAUSED` or `?status=RUNNING,PAUSED`. */
const statusFilter = z.preprocess(
  (value) => (Array.isArray(value) ? value : [value]).flatMap((item) => (typeof item === 'string' ? item.split(',') : [item])),
  z.array(z.enum(executionStatuses, { error: `expected execution statuses: ${executionStatuses.join(', ')}` })),
);

const maximumPageSize = 200;

const listQuery = z.strictObject({
  application: z.string().min(1).optional(),
  pipelineConfigId: z.string().min(1).optional(),
  status: statusFilter.optional(),
  limit: z.coerce.number().int().min(1).max(maximumPageSize, { error: `expected at most ${maximumPageSize}` }).default(50),
  cursor: z.string().optional(),
});

/** A page ends at an execution; the next page starts after it. Opaque to clients. */
function encodeCursor(position: ExecutionPosition): string {
  return Buffer.from(JSON.stringify([position.buildTime, position.id])).toString('base64url');
}

const cursorSchema = z.tuple([z.number().int(), z.string()]);

function decodeCursor(cursor: string): ExecutionPosition {
  try {
    const [buildTime, id] = cursorSchema.parse(JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')));
    return { buildTime, id };
  } catch {
    throw new GennakerError('GNK_E_VALIDATION', 'the cursor is not one this API gave out', [{ path: 'querystring.cursor', expected: 'nextCursor from the previous page' }]);
  }
}

const stageParams = z.strictObject({ id: idParams.shape.id, stageId: z.string().min(1).max(200) });

const judgmentBody = z.strictObject({
  judgmentStatus: z.enum(judgmentStatuses, { error: "expected 'continue' or 'stop'" }),
  input: z.string().optional(),
});

// A POST without a body reaches validation as null.
const cancelBody = z.strictObject({ reason: z.string().min(1).max(1000).optional() }).nullish();

export function registerExecutionRoutes(app: ApiApp, deps: ApiDependencies): void {
  const { store, engine, access } = deps;
  const tags = ['executions'];
  const ofExecution = executionApplication(store);
  const executeExecution = { kind: 'application', action: 'EXECUTE', application: ofExecution } as const;

  async function loaded(id: string): Promise<ExecutionState> {
    const state = await engine.get(id);
    if (!state) throw new GennakerError('GNK_E_NOT_FOUND', `execution ${id} does not exist`, [{ path: 'params.id' }]);
    return state;
  }

  /** The execution as the API shows it (plain records, so the response schema keeps every field). */
  async function existing(id: string): Promise<z.output<typeof executionSchema>> {
    const { execution, stages } = await loaded(id);
    return { execution: { ...execution }, stages: stages.map((stage) => ({ ...stage })) };
  }

  /** 404 unless the execution has this stage. */
  async function requireStage(id: string, stageId: string): Promise<void> {
    const state = await loaded(id);
    if (!state.stages.some((stage) => stage.id === stageId)) {
      throw new GennakerError('GNK_E_NOT_FOUND', `execution ${id} has no stage ${stageId}`, [{ path: 'params.stageId' }]);
    }
  }

  app.post(
    '/api/pipelines/:id/executions',
    {
      config: { access: { kind: 'application', action: 'EXECUTE', application: pipelineApplication(store) } },
      schema: {
        tags,
        summary: 'Run a saved pipeline (needs EXECUTE on its application and WRITE on every account its stages name)',
        params: idParams,
        body: z.strictObject({ parameters: z.record(z.string(), z.unknown()).optional() }).nullish(),
        response: { 201: startedSchema, ...errorResponses },
      },
    },
    async (request, reply) => {
      const principal = principalOf(request);
      const saved = await store.pipelineConfigs.get(request.params.id);
      if (!saved) throw new GennakerError('GNK_E_NOT_FOUND', `pipeline ${request.params.id} does not exist`, [{ path: 'params.id' }]);
      const stages = Array.isArray(saved.body['stages']) ? (saved.body['stages'] as StageFields[]) : [];
      requireAccountWrite(access, principal, stages);
      const parameters = request.body?.parameters ?? {};
      const id = await engine.startPipeline(saved.id, { type: 'manual', user: principal.name, parameters });
      return reply.status(201).send({ id });
    },
  );

  app.get(
    '/api/executions',
    {
      config: { access: { kind: 'authenticated' } },
      schema: {
        tags,
        summary: 'Executions, newest first, a page at a time (application is required unless you are an administrator)',
        querystring: listQuery,
        response: { 200: z.object({ executions: z.array(summarySchema), nextCursor: z.string().optional() }), ...errorResponses },
      },
    },
    async (request) => {
      const principal = principalOf(request);
      const { application: named, pipelineConfigId, status, limit, cursor } = request.query;
      const application = named ?? (pipelineConfigId === undefined ? undefined : (await store.pipelineConfigs.get(pipelineConfigId))?.application);
      if (application === undefined && !principal.admin) {
        throw new GennakerError('GNK_E_VALIDATION', 'name the application whose executions to list', [{ path: 'querystring.application', expected: 'an application you may read' }]);
      }
      if (application !== undefined && !(await access.canApplication(principal, application, 'READ'))) throw forbidden(principal, `READ on application ${application}`);
      const page = await store.executions.list({
        ...(application !== undefined && { application }),
        ...(pipelineConfigId !== undefined && { pipelineConfigId }),
        ...(status !== undefined && { statuses: status }),
        ...(cursor !== undefined && { after: decodeCursor(cursor) }),
        limit: limit + 1,
      });
      const executions = page.slice(0, limit);
      const last = executions.at(-1);
      return { executions, ...(page.length > limit && last && { nextCursor: encodeCursor(last) }) };
    },
  );

  app.get(
    '/api/executions/:id',
    {
      config: { access: { kind: 'application', action: 'READ', application: ofExecution } },
      schema: { tags, summary: 'An execution with its stages', params: idParams, response: { 200: executionSchema, ...errorResponses } },
    },
    async (request) => existing(request.params.id),
  );

  app.post(
    '/api/executions/:id/cancel',
    {
      config: { access: executeExecution },
      schema: { tags, summary: 'Cancel an execution', params: idParams, body: cancelBody, response: { 200: executionSchema, ...errorResponses } },
    },
    async (request) => {
      await engine.cancel(request.params.id, principalOf(request).name, request.body?.reason);
      return existing(request.params.id);
    },
  );

  for (const action of ['pause', 'resume'] as const) {
    app.post(
      `/api/executions/:id/${action}`,
      {
        config: { access: executeExecution },
        schema: { tags, summary: `${action === 'pause' ? 'Pause' : 'Resume'} an execution`, params: idParams, response: { 200: executionSchema, ...errorResponses } },
      },
      async (request) => {
        await (action === 'pause' ? engine.pause(request.params.id) : engine.resume(request.params.id));
        return existing(request.params.id);
      },
    );
  }

  for (const action of ['restart', 'skip'] as const) {
    app.post(
      `/api/executions/:id/stages/:stageId/${action}`,
      {
        config: { access: executeExecution },
        schema: { tags, summary: `${action === 'restart' ? 'Restart' : 'Skip'} a stage`, params: stageParams, response: { 200: executionSchema, ...errorResponses } },
      },
      async (request) => {
        const { id, stageId } = request.params;
        await requireStage(id, stageId);
        const user = principalOf(request).name;
        await (action === 'restart' ? engine.restartStage(id, stageId, user) : engine.skipStage(id, stageId, user));
        return existing(id);
      },
    );
  }

  app.post(
    '/api/executions/:id/stages/:stageId/judgment',
    {
      config: { access: executeExecution },
      schema: { tags, summary: 'Answer a manual judgment: continue or stop', params: stageParams, body: judgmentBody, response: { 200: executionSchema, ...errorResponses } },
    },
    async (request) => {
      const { id, stageId } = request.params;
      const principal = principalOf(request);
      await requireStage(id, stageId);
      const answer = request.body;
      await engine.patchStage(
        id,
        stageId,
        { judgmentStatus: answer.judgmentStatus, ...(answer.input !== undefined && { judgmentInput: answer.input }), lastModifiedBy: principal.name },
        (stage, execution) => checkJudgment(execution, stage, principal, answer),
      );
      return existing(id);
    },
  );
}

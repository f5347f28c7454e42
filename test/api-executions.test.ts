import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Principal } from '../src/core/auth/model.js';
import { bodyOf, errorOf, paths } from './support/api-assertions.js';
import { roleAccess, startApiHarness, type ApiHarness } from './support/api-harness.js';
import { startApiServer, type ApiServer } from './support/api-server.js';

interface ExecutionBody {
  execution: { id: string; status: string; trigger: { type: string; user: string; parameters: Record<string, unknown> } };
  stages: { id: string; refId: string; type: string; status: string; context: Record<string, unknown> }[];
}

interface Page {
  executions: { id: string; status: string; buildTime: number }[];
  nextCursor?: string;
}

const wait = (refId: string, seconds: number, requisites: string[] = []) => ({ refId, type: 'wait', waitTime: seconds, requisiteStageRefIds: requisites });

describe('executions API', () => {
  let server: ApiServer;

  async function savePipeline(name: string, stages: unknown[], application = 'runner'): Promise<string> {
    return bodyOf<{ id: string }>(await server.request('POST', `/api/applications/${application}/pipelines`, { body: { name, stages } }), 201).id;
  }

  async function run(pipelineId: string, body: unknown = {}): Promise<string> {
    return bodyOf<{ id: string }>(await server.request('POST', `/api/pipelines/${pipelineId}/executions`, { body }), 201).id;
  }

  async function read(id: string): Promise<ExecutionBody> {
    return bodyOf<ExecutionBody>(await server.request('GET', `/api/executions/${id}`), 200);
  }

  /** Reads the execution until `ready` holds; bounded in count, not timed. */
  async function until(id: string, ready: (state: ExecutionBody) => boolean, what: string): Promise<ExecutionBody> {
    for (let attempt = 0; attempt < 400; attempt++) {
      const state = await read(id);
      if (ready(state)) return state;
      await sleep(25);
    }
    assert.fail(`execution ${id} never reached: ${what}`);
  }

  const finished = async (id: string): Promise<ExecutionBody> => {
    await server.gennaker.engine.whenComplete(id);
    return read(id);
  };

  const stageRunning = (refId: string) => (state: ExecutionBody) => state.stages.some((stage) => stage.refId === refId && stage.status === 'RUNNING');

  before(async () => {
    server = await startApiServer({ insecureNoAuth: true });
    bodyOf(await server.request('POST', '/api/applications', { body: { name: 'runner', email: 'runner@example.com' } }), 201);
    bodyOf(await server.request('POST', '/api/applications', { body: { name: 'pager', email: 'pager@example.com' } }), 201);
  });
  after(() => server.stop());

  test('a pipeline of wait stages runs to the end, triggered manually by the caller with the parameters given', async () => {
    const pipelineId = await savePipeline('two waits', [wait('1', 0), wait('2', 0, ['1'])]);
    const id = await run(pipelineId, { parameters: { version: '1.2.3' } });
    const done = await finished(id);
    assert.equal(done.execution.status, 'SUCCEEDED');
    assert.deepEqual(done.execution.trigger, { type: 'manual', user: 'anonymous', parameters: { version: '1.2.3' } });
    assert.deepEqual(done.stages.map((stage) => [stage.refId, stage.status]), [
      ['1', 'SUCCEEDED'],
      ['2', 'SUCCEEDED'],
    ]);
    assert.deepEqual(paths(await server.request('POST', `/api/pipelines/${pipelineId}/executions`, { body: { parameters: {}, dryRun: true } })), ['body.dryRun']);
    errorOf(await server.request('GET', '/api/executions/nosuch'), 404, 'GNK_E_NOT_FOUND');
  });

  test('cancel a running execution; cancelling it again is refused', async () => {
    const id = await run(await savePipeline('long wait', [wait('1', 600)]));
    await until(id, stageRunning('1'), 'stage 1 running');
    const canceled = bodyOf<ExecutionBody>(await server.request('POST', `/api/executions/${id}/cancel`, { body: { reason: 'wrong version' } }), 200);
    assert.equal(canceled.execution.id, id);
    const done = await finished(id);
    assert.equal(done.execution.status, 'CANCELED');
    errorOf(await server.request('POST', `/api/executions/${id}/cancel`), 409, 'GNK_E_OPERATION_REFUSED');
    errorOf(await server.request('POST', '/api/executions/nosuch/cancel'), 404, 'GNK_E_NOT_FOUND');
  });

  test('pause and resume, then skip the waiting stage so the execution finishes', async () => {
    const id = await run(await savePipeline('pausable', [wait('1', 600), wait('2', 0, ['1'])]));
    await until(id, stageRunning('1'), 'stage 1 running');
    assert.equal(bodyOf<ExecutionBody>(await server.request('POST', `/api/executions/${id}/pause`), 200).execution.status, 'PAUSED');
    errorOf(await server.request('POST', `/api/executions/${id}/pause`), 409, 'GNK_E_OPERATION_REFUSED');
    assert.equal(bodyOf<ExecutionBody>(await server.request('POST', `/api/executions/${id}/resume`), 200).execution.status, 'RUNNING');
    const state = await until(id, stageRunning('1'), 'stage 1 running again');
    const waiting = state.stages.find((stage) => stage.refId === '1')!;
    bodyOf(await server.request('POST', `/api/executions/${id}/stages/${waiting.id}/skip`), 200);
    const done = await finished(id);
    assert.equal(done.execution.status, 'SUCCEEDED');
    assert.deepEqual(done.stages.map((stage) => [stage.refId, stage.status]), [
      ['1', 'SKIPPED'],
      ['2', 'SUCCEEDED'],
    ]);
    errorOf(await server.request('POST', `/api/executions/${id}/stages/nosuch/skip`), 404, 'GNK_E_NOT_FOUND');
  });

  test('a manual judgment answered through the API: stop fails it, a restart asks again, continue finishes it', async () => {
    const pipelineId = await savePipeline('approval', [
      { refId: '1', type: 'manualJudgment', judgmentInputs: [{ value: 'ship' }, { value: 'hold' }] },
      wait('2', 0, ['1']),
    ]);
    const id = await run(pipelineId);
    const state = await until(id, stageRunning('1'), 'the judgment waiting');
    const judgment = state.stages.find((stage) => stage.refId === '1')!;
    const path = `/api/executions/${id}/stages/${judgment.id}/judgment`;

    assert.deepEqual(paths(await server.request('POST', path, { body: { judgmentStatus: 'continue', input: 'yolo' } })), ['body.input']);
    assert.deepEqual(paths(await server.request('POST', path, { body: { judgmentStatus: 'maybe' } })), ['body.judgmentStatus']);
    bodyOf(await server.request('POST', path, { body: { judgmentStatus: 'stop', input: 'hold' } }), 200);
    errorOf(await server.request('POST', path, { body: { judgmentStatus: 'continue' } }), 409, 'GNK_E_OPERATION_REFUSED');
    const stopped = await finished(id);
    assert.equal(stopped.execution.status, 'TERMINAL');

    bodyOf(await server.request('POST', `/api/executions/${id}/stages/${judgment.id}/restart`), 200);
    await until(id, stageRunning('1'), 'the judgment asked again');
    bodyOf(await server.request('POST', path, { body: { judgmentStatus: 'continue', input: 'ship' } }), 200);
    const done = await finished(id);
    assert.equal(done.execution.status, 'SUCCEEDED');
    const answered = done.stages.find((stage) => stage.refId === '1')!;
    assert.equal(answered.context['judgedBy'] ?? answered.context['lastModifiedBy'], 'anonymous');

    const waitStage = done.stages.find((stage) => stage.refId === '2')!;
    errorOf(await server.request('POST', `/api/executions/${id}/stages/${waitStage.id}/judgment`, { body: { judgmentStatus: 'continue' } }), 409, 'GNK_E_OPERATION_REFUSED');
  });

  test('of two answers racing for one judgment, exactly one is taken', async () => {
    const id = await run(await savePipeline('race', [{ refId: '1', type: 'manualJudgment' }]));
    const state = await until(id, stageRunning('1'), 'the judgment waiting');
    const path = `/api/executions/${id}/stages/${state.stages[0]!.id}/judgment`;
    const answers = await Promise.all([
      server.request('POST', path, { body: { judgmentStatus: 'continue' } }),
      server.request('POST', path, { body: { judgmentStatus: 'stop' } }),
    ]);
    assert.deepEqual(answers.map((answer) => answer.status).sort(), [200, 409]);
    const taken = answers[0]!.status === 200 ? 'SUCCEEDED' : 'TERMINAL';
    assert.equal((await finished(id)).execution.status, taken);
  });

  test('an ad-hoc operation runs its steps in order as an orchestration', async () => {
    const started = await server.request('POST', '/api/applications/runner/operations', {
      body: { description: 'Two quick waits', steps: [{ type: 'wait', context: { waitTime: 0 } }, { type: 'wait', name: 'second', context: { waitTime: 0 } }] },
    });
    const done = await finished(bodyOf<{ id: string }>(started, 201).id);
    assert.equal(done.execution.status, 'SUCCEEDED');
    assert.deepEqual(done.stages.map((stage) => stage.type), ['wait', 'wait']);
    assert.deepEqual(paths(await server.request('POST', '/api/applications/runner/operations', { body: { description: 'x', steps: [] } })), ['body.steps']);
    errorOf(await server.request('POST', '/api/applications/nosuch/operations', { body: { description: 'x', steps: [{ type: 'wait' }] } }), 404, 'GNK_E_NOT_FOUND');
  });

  test('the list pages newest first by start time then id, with filters; a bad cursor or limit names the field', async () => {
    const pipelineId = await savePipeline('quick', [wait('1', 0)], 'pager');
    const ids: string[] = [];
    for (let index = 0; index < 5; index++) ids.push(await run(pipelineId));
    await Promise.all(ids.map((id) => server.gennaker.engine.whenComplete(id)));

    const seen: Page['executions'] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const query = `/api/executions?application=pager&limit=2${cursor === undefined ? '' : `&cursor=${cursor}`}`;
      const page = bodyOf<Page>(await server.request('GET', query), 200);
      assert.ok(page.executions.length <= 2);
      seen.push(...page.executions);
      cursor = page.nextCursor;
      pages++;
    } while (cursor !== undefined && pages < 10);
    assert.equal(pages, 3);
    assert.deepEqual(seen.map((execution) => execution.id).sort(), [...ids].sort());
    const expectedOrder = [...seen].sort((a, b) => b.buildTime - a.buildTime || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0));
    assert.deepEqual(seen, expectedOrder);

    const byPipeline = bodyOf<Page>(await server.request('GET', `/api/executions?pipelineConfigId=${pipelineId}&status=SUCCEEDED,TERMINAL`), 200);
    assert.equal(byPipeline.executions.length, 5);
    assert.equal(byPipeline.nextCursor, undefined);
    assert.equal(bodyOf<Page>(await server.request('GET', '/api/executions?application=pager&status=RUNNING'), 200).executions.length, 0);

    assert.deepEqual(paths(await server.request('GET', '/api/executions?application=pager&cursor=bogus')), ['querystring.cursor']);
    assert.deepEqual(paths(await server.request('GET', '/api/executions?application=pager&limit=201')), ['querystring.limit']);
    assert.deepEqual(paths(await server.request('GET', '/api/executions?application=pager&status=DONE')), ['querystring.status.0']);
    assert.deepEqual(paths(await server.request('GET', '/api/executions?application=pager&colour=red')), ['querystring.colour']);
  });
});

describe('executions API for a caller who is not an administrator', () => {
  const deployer: Principal = { name: 'devi', kind: 'user', roles: ['dev'], admin: false, via: 'token' };
  let harness: ApiHarness;
  let pipelineId: string;
  before(async () => {
    harness = await startApiHarness({ access: roleAccess(deployer, () => harness.store, { local: ['READ', 'WRITE'], prod: ['READ'] }) });
    await harness.store.applications.create('svc', { email: 's@example.com', permissions: { READ: ['dev'], WRITE: ['dev'], EXECUTE: ['dev'] } });
    await harness.store.applications.create('closed', { email: 'c@example.com', permissions: { READ: ['ops'], EXECUTE: ['ops'] } });
    const saved = await harness.request('POST', '/api/applications/svc/pipelines', {
      body: { name: 'disable prod', stages: [{ type: 'disableServerGroup', credentials: 'prod', regions: ['us-east'], serverGroupName: 'svc-v001' }] },
    });
    pipelineId = bodyOf<{ id: string }>(saved, 201).id;
  });
  after(() => harness.stop());

  test('running a pipeline needs WRITE on every account its stages name: the 403 names the account', async () => {
    const refused = errorOf(await harness.request('POST', `/api/pipelines/${pipelineId}/executions`), 403, 'GNK_E_FORBIDDEN');
    assert.match(refused.message, /WRITE on account prod/);
    assert.equal(refused.details[0]?.['account'], 'prod');
    const operation = await harness.request('POST', '/api/applications/svc/operations', {
      body: { description: 'resize', steps: [{ type: 'resizeServerGroup', context: { credentials: 'prod', regions: ['us-east'], serverGroupName: 'svc-v001' } }] },
    });
    errorOf(operation, 403, 'GNK_E_FORBIDDEN');
    const allowed = await harness.request('POST', '/api/applications/svc/operations', { body: { description: 'wait', steps: [{ type: 'wait', context: { waitTime: 0 } }] } });
    await harness.engine.whenComplete(bodyOf<{ id: string }>(allowed, 201).id);
  });

  test('listing needs an application the caller may read', async () => {
    assert.deepEqual(paths(await harness.request('GET', '/api/executions')), ['querystring.application']);
    errorOf(await harness.request('GET', '/api/executions?application=closed'), 403, 'GNK_E_FORBIDDEN');
    assert.equal(bodyOf<Page>(await harness.request('GET', '/api/executions?application=svc'), 200).executions.length, 1);
    errorOf(await harness.request('POST', '/api/applications/closed/operations', { body: { description: 'x', steps: [{ type: 'wait' }] } }), 403, 'GNK_E_FORBIDDEN');
  });
});

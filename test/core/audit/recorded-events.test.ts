import assert from 'node:assert/strict';
import { test } from 'node:test';
import { cloudOperationSummary, cloudOperationTarget } from '../../../src/core/audit/cloud-operation.js';
import { executionAuditEvent, mayBeAudited } from '../../../src/core/audit/execution-events.js';
import type { CloudOperation } from '../../../src/core/cloud/index.js';
import type { EngineEvent, Execution, ExecutionState, Stage } from '../../../src/core/execution/index.js';

const execution: Execution = {
  id: 'e1',
  type: 'PIPELINE',
  application: 'shop',
  name: 'deploy',
  pipelineConfigId: 'p1',
  status: 'RUNNING',
  trigger: { type: 'manual', user: 'alice', parameters: { version: '2' } },
  buildTime: 1,
  startTime: 10,
  canceled: false,
  pausedMs: 0,
  limitConcurrent: false,
  keepWaitingPipelines: false,
  maxConcurrentExecutions: 0,
  version: 3,
};

function stage(overrides: Partial<Stage>): Stage {
  return {
    id: 's1',
    executionId: 'e1',
    refId: '1',
    type: 'wait',
    name: 'Stage',
    requisiteStageRefIds: [],
    status: 'SUCCEEDED',
    config: {},
    context: {},
    outputs: {},
    onFailure: 'haltPipeline',
    tasks: [],
    runNumber: 0,
    ...overrides,
  };
}

const infrastructure = new Set(['deploy', 'resizeServerGroup']);
const state = (stages: Stage[] = [], changes: Partial<Execution> = {}): ExecutionState => ({ execution: { ...execution, ...changes }, stages });
const executionEvent = (status: Extract<EngineEvent, { kind: 'execution' }>['status'], at: number): EngineEvent => ({ kind: 'execution', application: 'shop', executionId: 'e1', status, at });
const stageEvent = (status: Extract<EngineEvent, { kind: 'stage' }>['status']): EngineEvent => ({ kind: 'stage', application: 'shop', executionId: 'e1', stageId: 's1', refId: '1', status, at: 20 });

test('only execution starts and ends and finished stages are worth loading the execution for', () => {
  assert.equal(mayBeAudited(executionEvent('RUNNING', 10)), true);
  assert.equal(mayBeAudited(executionEvent('TERMINAL', 10)), true);
  assert.equal(mayBeAudited(executionEvent('PAUSED', 10)), false);
  assert.equal(mayBeAudited(stageEvent('SUCCEEDED')), true);
  assert.equal(mayBeAudited(stageEvent('RUNNING')), false);
  assert.equal(mayBeAudited({ kind: 'task', application: 'shop', executionId: 'e1', stageId: 's1', taskId: 't', status: 'SUCCEEDED', at: 1 }), false);
});

test('a pipeline start is recorded once (not on resume), with its trigger; its end with the status and who canceled', () => {
  assert.deepEqual(executionAuditEvent(executionEvent('RUNNING', 10), state(), infrastructure), {
    actor: 'alice',
    application: 'shop',
    executionId: 'e1',
    time: 10,
    action: 'pipeline.start',
    target: { type: 'pipeline', id: 'p1' },
    summary: { name: 'deploy', trigger: { type: 'manual', parameters: { version: '2' } } },
  });
  assert.equal(executionAuditEvent(executionEvent('RUNNING', 99), state(), infrastructure), undefined, 'a resume');
  assert.equal(executionAuditEvent(executionEvent('PAUSED', 99), state(), infrastructure), undefined);
  const ended = executionAuditEvent(executionEvent('CANCELED', 50), state([], { canceledBy: 'bob', type: 'ORCHESTRATION', pipelineConfigId: undefined }), infrastructure);
  assert.deepEqual([ended?.action, ended?.target, ended?.summary], ['orchestration.end', { type: 'orchestration', id: 'deploy' }, { name: 'deploy', status: 'CANCELED', canceledBy: 'bob' }]);
});

test('infrastructure stages are recorded when they finish, with any failure; other stages are not', () => {
  const failure = { code: 'GNK_E_TASK_FAILED', message: 'no capacity' };
  const deployed = executionAuditEvent(stageEvent('TERMINAL'), state([stage({ type: 'deploy', name: 'Deploy', status: 'TERMINAL', failure })]), infrastructure);
  assert.deepEqual([deployed?.action, deployed?.actor, deployed?.target, deployed?.summary], ['stage.deploy', 'alice', { type: 'stage', id: 'e1/s1' }, { stage: 'Deploy', status: 'TERMINAL', failure }]);
  assert.equal(executionAuditEvent(stageEvent('SUCCEEDED'), state([stage({ type: 'wait' })]), infrastructure), undefined);
  assert.equal(executionAuditEvent(stageEvent('SUCCEEDED'), state([]), infrastructure), undefined, 'a stage no longer there');
});

test('a manual judgment is recorded as its answerer (or the trigger user), and not when it finished unanswered', () => {
  const answered = stage({ type: 'manualJudgment', name: 'Approve', status: 'TERMINAL', context: { judgmentStatus: 'stop', judgmentInput: 'no', lastModifiedBy: 'bob' } });
  assert.deepEqual(executionAuditEvent(stageEvent('TERMINAL'), state([answered]), infrastructure), {
    actor: 'bob',
    application: 'shop',
    executionId: 'e1',
    time: 20,
    action: 'stage.manualJudgment',
    target: { type: 'stage', id: 'e1/s1' },
    summary: { stage: 'Approve', judgmentStatus: 'stop', judgmentInput: 'no', status: 'TERMINAL' },
  });
  const anonymous = stage({ type: 'manualJudgment', context: { judgmentStatus: 'continue' } });
  assert.equal(executionAuditEvent(stageEvent('SUCCEEDED'), state([anonymous]), infrastructure)?.actor, 'alice');
  const skipped = stage({ type: 'manualJudgment', status: 'SKIPPED' });
  assert.equal(executionAuditEvent(stageEvent('SKIPPED'), state([skipped]), infrastructure), undefined);
});

test('every cloud operation names the resource it changed', () => {
  const where = { account: 'prod', region: 'eu' };
  const launch = { artifact: { type: 'file', path: '/bin/true' } } as unknown as Extract<CloudOperation, { type: 'createServerGroup' }>['launch'];
  const capacity = { min: 1, max: 1, desired: 1 };
  const cases: [CloudOperation, string, string][] = [
    [{ type: 'createServerGroup', ...where, application: 'shop', capacity, launch, loadBalancers: [], enabled: true }, 'serverGroup', 'prod/eu/shop'],
    [{ type: 'cloneServerGroup', ...where, source: 'shop-v001', enabled: true }, 'serverGroup', 'prod/eu/shop-v001'],
    [{ type: 'resizeServerGroup', ...where, serverGroup: 'shop-v002', capacity }, 'serverGroup', 'prod/eu/shop-v002'],
    [{ type: 'enableServerGroup', ...where, serverGroup: 'shop-v002' }, 'serverGroup', 'prod/eu/shop-v002'],
    [{ type: 'disableServerGroup', ...where, serverGroup: 'shop-v002' }, 'serverGroup', 'prod/eu/shop-v002'],
    [{ type: 'destroyServerGroup', ...where, serverGroup: 'shop-v002' }, 'serverGroup', 'prod/eu/shop-v002'],
    [{ type: 'terminateInstances', ...where, instanceIds: ['i-1', 'i-2'], decrementDesired: false }, 'instances', 'prod/eu/i-1,i-2'],
    [{ type: 'upsertLoadBalancer', ...where, name: 'shop-lb' }, 'loadBalancer', 'prod/eu/shop-lb'],
    [{ type: 'deleteLoadBalancer', ...where, name: 'shop-lb' }, 'loadBalancer', 'prod/eu/shop-lb'],
    [{ type: 'setTrafficWeights', ...where, loadBalancer: 'shop-lb', weights: null }, 'loadBalancer', 'prod/eu/shop-lb'],
  ];
  for (const [operation, type, id] of cases) {
    assert.deepEqual(cloudOperationTarget(operation, { state: 'failed', clientToken: 't', code: 'GNK_E_X', message: 'm' }), { type, id }, operation.type);
  }
  const created = { state: 'succeeded' as const, clientToken: 't', serverGroup: { name: 'shop-v003' } as never };
  assert.deepEqual(cloudOperationTarget(cases[0]![0], created), { type: 'serverGroup', id: 'prod/eu/shop-v003' });
  assert.deepEqual(cloudOperationTarget(cases[1]![0], created), { type: 'serverGroup', id: 'prod/eu/shop-v003' });
  assert.deepEqual(cloudOperationSummary(cases[3]![0], created), { operation: cases[3]![0], outcome: { state: 'succeeded' } });
});

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { GennakerError } from '../../src/core/errors.js';
import type { ExecutionStatus } from '../../src/core/execution/index.js';
import { pipelineStage } from '../../src/stages/index.js';
import { assertTerminal, cancelContext, fakeServices, inputProblems, parseInput, plannedTasks, runTask } from './support.js';

describe('pipeline', () => {
  const definition = pipelineStage();
  const raw = { application: 'shop', pipeline: 'p-smoke', pipelineParameters: { region: 'eu' }, comments: 'ui' };

  test('parses with waitForCompletion on by default, and refuses a missing pipeline id', () => {
    const input = parseInput(definition, raw);
    assert.equal(input.waitForCompletion, true);
    assert.deepEqual(input.pipelineParameters, { region: 'eu' });
    assert.deepEqual(parseInput(definition, { application: 'shop', pipeline: 'p', pipelineParameters: null }).pipelineParameters, {});
    assert.deepEqual(inputProblems(definition, { application: 'shop' }), ['pipeline: expected the id of the pipeline to run']);
  });

  test('plans start then monitor, or only start when not waiting', () => {
    assert.deepEqual(plannedTasks(definition, parseInput(definition, raw)), ['startPipeline', 'monitorPipeline']);
    assert.deepEqual(plannedTasks(definition, parseInput(definition, { ...raw, waitForCompletion: 'false' })), ['startPipeline']);
    assert.equal(definition.tasks['monitorPipeline']!.timeoutMs, 12 * 3600 * 1000);
  });

  test('startPipeline starts the child with the task idempotency key and records its id', async () => {
    const services = fakeServices();
    const input = parseInput(definition, raw);
    const result = await runTask(definition, 'startPipeline', { input, services, idempotencyKey: 'exec-1/stage-1/0/1' });
    assert.deepEqual(result, { kind: 'succeeded', context: { executionId: 'child-of-exec-1/stage-1/0/1' }, outputs: { executionId: 'child-of-exec-1/stage-1/0/1' } });
    assert.deepEqual(services.log.started, [
      {
        application: 'shop',
        pipelineId: 'p-smoke',
        parameters: { region: 'eu' },
        parentExecutionId: 'exec-1',
        parentStageId: 'stage-1',
        user: 'ann',
        idempotencyKey: 'exec-1/stage-1/0/1',
      },
    ]);
  });

  test('a pipeline that cannot be started fails the stage, naming it', async () => {
    const services = fakeServices({
      startChildPipeline: async () => {
        throw new GennakerError('GNK_E_NOT_FOUND', 'pipeline p-smoke does not exist');
      },
    });
    const result = await runTask(definition, 'startPipeline', { input: parseInput(definition, raw), services });
    assertTerminal(result, 'GNK_E_TASK_FAILED', /^could not start pipeline p-smoke of application shop: GNK_E_NOT_FOUND: pipeline p-smoke does not exist$/);
  });

  test('monitorPipeline waits while the child runs and succeeds with its outputs', async () => {
    const children = new Map<string, { status: ExecutionStatus; outputs: Record<string, unknown> }>([['c1', { status: 'RUNNING', outputs: {} }]]);
    const services = fakeServices({ children });
    const input = parseInput(definition, raw);
    const stage = { context: { executionId: 'c1' } };
    assert.deepEqual(await runTask(definition, 'monitorPipeline', { input, services, stage }), { kind: 'running', backoffMs: 60_000 });
    children.set('c1', { status: 'SUCCEEDED', outputs: { version: '1.2.3' } });
    assert.deepEqual(await runTask(definition, 'monitorPipeline', { input, services, stage }), { kind: 'succeeded', outputs: { outputs: { version: '1.2.3' } } });
  });

  test('a child that ends any other way fails the stage, naming its status', async () => {
    for (const status of ['TERMINAL', 'CANCELED', 'STOPPED'] as const) {
      const services = fakeServices({ children: new Map([['c1', { status, outputs: {} }]]) });
      const result = await runTask(definition, 'monitorPipeline', { input: parseInput(definition, raw), services, stage: { context: { executionId: 'c1' } } });
      assertTerminal(result, 'GNK_E_TASK_FAILED', new RegExp(`^child execution c1 of pipeline p-smoke \\(application shop\\) finished ${status}$`));
    }
    const gone = await runTask(definition, 'monitorPipeline', { input: parseInput(definition, raw), stage: { context: { executionId: 'c9' } } });
    assertTerminal(gone, 'GNK_E_TASK_FAILED', /^child execution c9 of pipeline p-smoke no longer exists$/);
  });

  test('cancel cancels a running child once, and leaves finished or unknown children alone', async () => {
    const children = new Map<string, { status: ExecutionStatus; outputs: Record<string, unknown> }>([['c1', { status: 'RUNNING', outputs: {} }]]);
    const services = fakeServices({ children });
    const input = parseInput(definition, raw);
    const execution = { canceled: true, canceledBy: 'dave', cancellationReason: 'wrong build' };
    await definition.cancel!(cancelContext(input, { services, execution, stage: { refId: '3', name: 'Smoke', context: { executionId: 'c1' } } }));
    assert.deepEqual(services.log.canceled, [{ executionId: 'c1', user: 'dave', reason: 'parent execution exec-1 (stage 3, "Smoke") was canceled: wrong build' }]);
    await definition.cancel!(cancelContext(input, { services, stage: { context: {} } }));
    children.set('c1', { status: 'SUCCEEDED', outputs: {} });
    await definition.cancel!(cancelContext(input, { services, stage: { context: { executionId: 'c1' } } }));
    assert.equal(services.log.canceled.length, 1);
  });

  test('cancel tolerates the child finishing between the check and the cancel', async () => {
    const services = fakeServices({
      children: new Map([['c1', { status: 'RUNNING' as const, outputs: {} }]]),
      cancelExecution: async () => {
        throw new GennakerError('GNK_E_OPERATION_REFUSED', 'execution is already SUCCEEDED');
      },
    });
    await definition.cancel!(cancelContext(parseInput(definition, raw), { services, stage: { context: { executionId: 'c1' } } }));
  });
});

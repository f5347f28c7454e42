import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { sql } from 'kysely';
import type { EngineEvent, ExecutionState, Trigger } from '../src/core/execution/index.js';
import { validatePipeline } from '../src/core/pipeline/validate.js';
import type { PipelineConfig } from '../src/core/pipeline/pipeline-config.js';
import { Engine } from '../src/engine/engine.js';
import { createLogger } from '../src/log/logger.js';
import type { Store } from '../src/store/store.js';
import type { ExecutionRepository } from '../src/store/executions.js';
import { engineFixtures, openAt, type StoreLocation } from './support/store-engines.js';
import { testStages } from './support/test-stages.js';

const trigger = (parameters: Record<string, unknown> = {}): Trigger => ({ type: 'manual', user: 'ann', parameters });
const logger = createLogger('silent');

function pipeline(stages: Record<string, unknown>[], extra: Record<string, unknown> = {}): PipelineConfig {
  const result = validatePipeline({ application: 'app', name: 'p', stages, ...extra }, { stageTypes: stageTypesForValidation });
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  return result.pipeline;
}

// Validation needs to know the test stage types; their fields are free-form.
import { defineStageType } from '../src/core/pipeline/stage-types/stage-type.js';
import { z } from 'zod';
const stageTypesForValidation = Object.fromEntries(
  ['noop', 'emit', 'poll', 'fail', 'answer', 'child', 'deployish'].map((type) => [type, defineStageType(z.looseObject({}))]),
);

interface Harness {
  store: Store;
  engine: Engine;
  events: EngineEvent[];
  stop(): Promise<void>;
}

async function harness(location: StoreLocation, options: { nodeId?: string; leaseMs?: number; sweepMs?: number; repairMs?: number } = {}): Promise<Harness> {
  const store = await openAt(location);
  const engine = new Engine({ store, stages: testStages, logger, dataDir: location.dataDir, nodeId: options.nodeId ?? 'node-a', ...options });
  const events: EngineEvent[] = [];
  engine.events.on('event', (event) => events.push(event));
  await engine.start();
  return {
    store,
    engine,
    events,
    stop: async () => {
      await engine.stop();
      await store.close();
    },
  };
}

function statuses(state: ExecutionState): Record<string, string> {
  return Object.fromEntries(state.stages.map((stage) => [stage.refId, stage.status]));
}

function until(engine: Engine, predicate: (event: EngineEvent) => boolean): Promise<EngineEvent> {
  return new Promise((resolve) => {
    const listener = (event: EngineEvent): void => {
      if (predicate(event)) {
        engine.events.off('event', listener);
        resolve(event);
      }
    };
    engine.events.on('event', listener);
  });
}

for (const fixture of engineFixtures()) {
  describe(`engine on ${fixture.engine}`, () => {
    after(() => fixture.teardown());

    test('runs a DAG with parallel branches and a join, durably, publishing every transition', async () => {
      const location = await fixture.freshLocation();
      const h = await harness(location);
      const id = await h.engine.runPipeline(
        pipeline([
          { refId: '1', type: 'noop' },
          { refId: '2', type: 'poll', polls: 3, intervalMs: 20, requisiteStageRefIds: ['1'] },
          { refId: '3', type: 'noop', requisiteStageRefIds: ['1'] },
          { refId: '4', type: 'noop', requisiteStageRefIds: ['2', '3'] },
        ]),
        trigger(),
      );
      const done = await h.engine.whenComplete(id);
      assert.equal(done.execution.status, 'SUCCEEDED');
      assert.deepEqual(statuses(done), { '1': 'SUCCEEDED', '2': 'SUCCEEDED', '3': 'SUCCEEDED', '4': 'SUCCEEDED' });
      const stageEvents = h.events.filter((e) => e.kind === 'stage' && e.executionId === id).map((e) => `${(e as { refId: string }).refId}:${e.status}`);
      assert.ok(stageEvents.indexOf('4:RUNNING') > stageEvents.indexOf('2:SUCCEEDED'));
      assert.deepEqual(
        h.events.filter((e) => e.kind === 'execution').map((e) => e.status),
        ['RUNNING', 'SUCCEEDED'],
      );
      assert.equal(await h.store.queue.count(), 0, 'no message left behind');
      await h.stop();
      const reopened = await openAt(location);
      assert.equal((await reopened.executions.load(id))?.execution.status, 'SUCCEEDED');
      await reopened.close();
    });

    test('running an id that exists is refused, and the first run goes on untouched', async () => {
      const h = await harness(await fixture.freshLocation());
      const config = pipeline([{ refId: '1', type: 'noop' }]);
      const id = await h.engine.runPipeline(config, trigger(), { id: 'only-once' });
      await assert.rejects(h.engine.runPipeline(config, trigger(), { id: 'only-once' }), /GNK_E_ALREADY_EXISTS.*only-once/);
      assert.equal((await h.engine.whenComplete(id)).execution.status, 'SUCCEEDED');
      assert.deepEqual(
        h.events.filter((e) => e.kind === 'execution').map((e) => e.status),
        ['RUNNING', 'SUCCEEDED'],
      );
      await h.stop();
    });

    test('evaluates expressions at stage start: parameters, stage outputs, stageEnabled', async () => {
      const h = await harness(await fixture.freshLocation());
      const id = await h.engine.runPipeline(
        pipeline([
          { refId: '1', name: 'First', type: 'emit', value: '${parameters.version}' },
          { refId: '2', type: 'emit', value: "v=${#stage('First').outputs.value}", requisiteStageRefIds: ['1'] },
          { refId: '3', type: 'noop', stageEnabled: { type: 'expression', expression: "parameters.env == 'prod'" }, requisiteStageRefIds: ['1'] },
        ]),
        trigger({ version: 42, env: 'dev' }),
      );
      const done = await h.engine.whenComplete(id);
      assert.equal(done.execution.status, 'SUCCEEDED');
      assert.deepEqual(done.stages.find((s) => s.refId === '1')?.outputs, { value: 42 });
      assert.deepEqual(done.stages.find((s) => s.refId === '2')?.outputs, { value: 'v=42' });
      assert.equal(done.stages.find((s) => s.refId === '3')?.status, 'SKIPPED');
      await h.stop();
    });

    test('a failing expression fails the stage, naming the expression, its path and the reason', async () => {
      const h = await harness(await fixture.freshLocation());
      const id = await h.engine.runPipeline(pipeline([{ refId: '7', type: 'emit', value: { nested: ['${parameters.missing}'] } }]), trigger({ present: 1 }));
      const done = await h.engine.whenComplete(id);
      assert.equal(done.execution.status, 'TERMINAL');
      const failure = done.stages[0]!.failure!;
      assert.equal(failure.code, 'GNK_E_EXPRESSION_FAILED');
      assert.match(failure.message, /stage 7/);
      assert.match(failure.message, /\$\.value\.nested\[0\]/);
      assert.match(failure.message, /missing/);
      assert.match(failure.message, /present/, 'names what exists');
      await h.stop();
    });

    test('an unknown stage type or invalid input fails the stage with a coded reason', async () => {
      const h = await harness(await fixture.freshLocation());
      const unknown = await h.engine.run({
        id: 'unknown-type',
        type: 'ORCHESTRATION',
        application: 'app',
        name: 'adhoc',
        trigger: trigger(),
        stages: [{ refId: '1', type: 'teleport', name: 'beam', requisiteStageRefIds: [], onFailure: 'haltPipeline', context: {} }],
      });
      const bad = await h.engine.runPipeline(pipeline([{ refId: '5', type: 'poll', polls: 'many', intervalMs: 1 }]), trigger());
      const [u, b] = await Promise.all([h.engine.whenComplete(unknown), h.engine.whenComplete(bad)]);
      assert.equal(u.stages[0]!.failure?.code, 'GNK_E_UNKNOWN_STAGE_TYPE');
      assert.match(u.stages[0]!.failure!.message, /teleport.*installed types: .*noop/);
      assert.equal(b.stages[0]!.failure?.code, 'GNK_E_STAGE_INPUT_INVALID');
      assert.match(b.stages[0]!.failure!.message, /stage 5 .*\$\.polls/);
      await h.stop();
    });

    test('failure semantics hold end to end: haltBranch lets the other branch finish', async () => {
      const h = await harness(await fixture.freshLocation());
      const id = await h.engine.runPipeline(
        pipeline([
          { refId: '1', type: 'fail', failPipeline: false, continuePipeline: false },
          { refId: '2', type: 'noop', requisiteStageRefIds: ['1'] },
          { refId: '3', type: 'poll', polls: 2, intervalMs: 10 },
        ]),
        trigger(),
      );
      const done = await h.engine.whenComplete(id);
      assert.deepEqual(statuses(done), { '1': 'STOPPED', '2': 'NOT_STARTED', '3': 'SUCCEEDED' });
      assert.equal(done.execution.status, 'SUCCEEDED');
      await h.stop();
    });

    test('operators: an answer wakes a waiting stage at once; pause, resume and cancel work through the store', async () => {
      const h = await harness(await fixture.freshLocation());
      const answered = await h.engine.runPipeline(pipeline([{ refId: '1', type: 'answer' }, { refId: '2', type: 'noop', requisiteStageRefIds: ['1'] }]), trigger());
      await until(h.engine, (e) => e.kind === 'task' && e.executionId === answered && e.status === 'RUNNING');
      await h.engine.pause(answered);
      await assert.rejects(h.engine.pause(answered), /GNK_E_OPERATION_REFUSED.*only a RUNNING execution can be paused/);
      await h.engine.resume(answered);
      await h.engine.patchStage(answered, '1', { answer: 'yes' });
      const done = await h.engine.whenComplete(answered);
      assert.equal(done.execution.status, 'SUCCEEDED');
      assert.deepEqual(done.stages[0]!.outputs, { answer: 'yes' });

      const canceled = await h.engine.runPipeline(pipeline([{ refId: '1', type: 'answer' }]), trigger());
      await until(h.engine, (e) => e.kind === 'task' && e.executionId === canceled && e.status === 'RUNNING');
      await h.engine.cancel(canceled, 'bob', 'not today');
      const stopped = await h.engine.whenComplete(canceled);
      assert.equal(stopped.execution.status, 'CANCELED');
      assert.equal(stopped.execution.canceledBy, 'bob');
      await h.stop();
    });

    test('restart a failed stage through the engine', async () => {
      const h = await harness(await fixture.freshLocation());
      const id = await h.engine.runPipeline(pipeline([{ refId: '1', type: 'noop' }, { refId: '2', type: 'emit', value: '${parameters.x}', requisiteStageRefIds: ['1'] }]), trigger());
      assert.equal((await h.engine.whenComplete(id)).execution.status, 'TERMINAL');
      await assert.rejects(h.engine.restartStage(id, '1<9', 'x'), /GNK_E_OPERATION_REFUSED/);
      // The restart re-evaluates the configuration; make the parameter exist by editing the stored trigger.
      await sql`update executions set body = replace(body, '"parameters":{}', '"parameters":{"x":5}') where id = ${id}`.execute(h.store.db);
      const fresh = new Engine({ store: h.store, stages: testStages, logger, dataDir: '/tmp', nodeId: 'node-b' });
      await fresh.start();
      await fresh.restartStage(id, '2', 'carol');
      const done = await fresh.whenComplete(id);
      assert.equal(done.execution.status, 'SUCCEEDED');
      assert.deepEqual(done.stages.find((s) => s.refId === '2')?.outputs, { value: 5 });
      await fresh.stop();
      await h.stop();
    });

    test('a stopped engine\'s work is resumed by a new process of the same node at once, and by another node after the lease expires', async () => {
      const location = await fixture.freshLocation();
      const first = await harness(location, { nodeId: 'node-a' });
      const ids = await Promise.all([1, 2, 3].map(() => first.engine.runPipeline(pipeline([{ refId: '1', type: 'poll', polls: 6, intervalMs: 100 }]), trigger())));
      await until(first.engine, (e) => e.kind === 'task' && e.status === 'RUNNING');
      await first.engine.stop();
      const sameNode = new Engine({ store: first.store, stages: testStages, logger, dataDir: location.dataDir, nodeId: 'node-a', leaseMs: 300 });
      await sameNode.start();
      for (const id of ids.slice(0, 1)) assert.equal((await sameNode.whenComplete(id)).execution.status, 'SUCCEEDED');
      await sameNode.stop();
      const otherNode = new Engine({ store: first.store, stages: testStages, logger, dataDir: location.dataDir, nodeId: 'node-b', leaseMs: 300, sweepMs: 50 });
      await otherNode.start();
      for (const id of ids) assert.equal((await otherNode.whenComplete(id)).execution.status, 'SUCCEEDED');
      await otherNode.stop();
      await first.store.close();
    });

    test('a message whose handling failed is delivered again once its lease lapses', async () => {
      const location = await fixture.freshLocation();
      const store = await openAt(location);
      let failNextTransaction = false;
      // Every group commit of the engine goes through executions.write, so that is where the failure goes in.
      const executions = Object.create(store.executions) as ExecutionRepository;
      executions.write = (writes) => {
        if (!failNextTransaction) return store.executions.write(writes);
        failNextTransaction = false;
        return Promise.reject(new Error('the database went away for a moment'));
      };
      const flaky: Store = { ...store, executions };
      const engine = new Engine({ store: flaky, stages: testStages, logger, dataDir: location.dataDir, nodeId: 'node-f', leaseMs: 300, sweepMs: 50 });
      await engine.start();
      try {
        const id = await engine.runPipeline(pipeline([{ refId: '1', type: 'noop' }]), trigger());
        // Commits go through the group committer a macrotask later, so the first commit for the new execution fails.
        failNextTransaction = true;
        const done = await Promise.race([engine.whenComplete(id), sleep(10_000, undefined, { ref: false })]);
        assert.equal(failNextTransaction, false, 'a commit did fail');
        assert.equal(done?.execution.status, 'SUCCEEDED', 'the execution finished after the failed commit');
      } finally {
        await engine.stop();
        await store.close();
      }
    });

    test('an execution left RUNNING with no queued work is repaired', async () => {
      const h = await harness(await fixture.freshLocation(), { repairMs: 100 });
      const id = await h.engine.runPipeline(pipeline([{ refId: '1', type: 'answer' }]), trigger());
      await until(h.engine, (e) => e.kind === 'task' && e.executionId === id && e.status === 'RUNNING');
      await h.engine.stop();
      await h.store.db.deleteFrom('queue_messages').execute();
      const repairer = new Engine({ store: h.store, stages: testStages, logger, dataDir: '/tmp', nodeId: 'node-r', repairMs: 100 });
      await repairer.start();
      assert.ok((await h.store.queue.count()) > 0, 'the repair queued work for the execution');
      await repairer.patchStage(id, '1', { answer: 'fixed' });
      assert.equal((await repairer.whenComplete(id)).execution.status, 'SUCCEEDED');
      await repairer.stop();
      await h.store.close();
    });

    test('limitConcurrent: one run at a time; the newest waiting run starts next and older ones are superseded', async () => {
      const h = await harness(await fixture.freshLocation());
      const config = pipeline([{ refId: '1', type: 'answer' }], { limitConcurrent: true, keepWaitingPipelines: false });
      await h.store.pipelineConfigs.save({ id: 'limited', application: 'app', name: 'p', body: config as unknown as Record<string, unknown> });
      const first = await h.engine.startPipeline('limited', trigger());
      await until(h.engine, (e) => e.kind === 'task' && e.executionId === first && e.status === 'RUNNING');
      const second = await h.engine.startPipeline('limited', trigger());
      const third = await h.engine.startPipeline('limited', trigger());
      await new Promise((resolve) => setTimeout(resolve, 200));
      assert.equal((await h.engine.get(second))?.execution.status, 'NOT_STARTED');
      assert.equal((await h.engine.get(third))?.execution.status, 'NOT_STARTED');
      const thirdRunning = until(h.engine, (e) => e.kind === 'task' && e.executionId === third && e.status === 'RUNNING');
      await h.engine.patchStage(first, '1', { answer: 'done' });
      await thirdRunning;
      assert.equal((await h.engine.whenComplete(second)).execution.status, 'CANCELED');
      await h.engine.patchStage(third, '1', { answer: 'done' });
      assert.equal((await h.engine.whenComplete(third)).execution.status, 'SUCCEEDED');
      const history = await h.store.executions.list({ pipelineConfigId: 'limited' });
      assert.deepEqual(history.map((e) => e.id), [third, second, first]);
      assert.deepEqual((await h.store.executions.list({ application: 'app', statuses: ['CANCELED'] })).map((e) => e.id), [second]);
      await h.stop();
    });

    test('freezes: an infrastructure stage waits while its application is frozen and runs when the freeze lifts', async () => {
      const h = await harness(await fixture.freshLocation());
      await h.engine.freeze({ id: 'f-app', scope: { kind: 'application', application: 'app' }, reason: 'holiday', createdBy: 'ops', startsAtMs: 0 });
      await h.engine.freeze({ id: 'f-other', scope: { kind: 'application', application: 'elsewhere' }, reason: 'n/a', createdBy: 'ops', startsAtMs: 0 });
      const otherBranchDone = until(h.engine, (e) => e.kind === 'stage' && e.refId === '2' && e.status === 'SUCCEEDED');
      const gateWaiting = until(h.engine, (e) => e.kind === 'task' && e.stageId === '1<1' && e.status === 'RUNNING');
      const id = await h.engine.runPipeline(pipeline([{ refId: '1', type: 'deployish', account: 'prod' }, { refId: '2', type: 'noop' }]), trigger());
      await Promise.all([otherBranchDone, gateWaiting]);
      const waiting = await h.engine.get(id);
      assert.equal(waiting?.stages.find((s) => s.id === '1<1')?.type, 'waitForFreezeLift');
      assert.match(String(waiting?.stages.find((s) => s.id === '1<1')?.context['freezeMessage']), /holiday/);
      assert.equal(waiting?.stages.find((s) => s.id === '1')?.tasks[0]?.status, 'NOT_STARTED', 'the deploy itself has not run');
      await h.engine.liftFreeze('f-app', 'ops');
      const done = await h.engine.whenComplete(id);
      assert.equal(done.execution.status, 'SUCCEEDED');
      assert.deepEqual(done.stages.find((s) => s.id === '1')?.outputs, { deployed: true });
      await h.stop();
    });

    test('freezes: a freeze of an account that says fail fails the stage, naming the freeze', async () => {
      const h = await harness(await fixture.freshLocation());
      await h.engine.freeze({ id: 'f-prod', scope: { kind: 'account', account: 'prod' }, reason: 'incident 42', createdBy: 'sre', startsAtMs: 0, onFreeze: 'fail' });
      const id = await h.engine.runPipeline(pipeline([{ refId: '1', type: 'deployish', account: 'prod' }]), trigger());
      const done = await h.engine.whenComplete(id);
      assert.equal(done.execution.status, 'TERMINAL');
      assert.equal(done.stages.find((s) => s.id === '1')?.failure?.code, 'GNK_E_FROZEN');
      assert.match(String(done.stages.find((s) => s.id === '1')?.failure?.message), /incident 42/);
      await assert.rejects(h.engine.freeze({ id: 'f-prod', scope: { kind: 'global' }, reason: 'again', createdBy: 'sre', startsAtMs: 0 }), /GNK_E_ALREADY_EXISTS/);
      await assert.rejects(h.engine.freeze({ id: 'bad', scope: { kind: 'planet' }, reason: 'x', createdBy: 'y', startsAtMs: 0 }), /GNK_E_VALIDATION/);
      await h.stop();
    });

    test('an execution window that is closed holds the stage until an operator skips the window', async () => {
      const h = await harness(await fixture.freshLocation());
      const closedHour = (new Date().getUTCHours() + 12) % 24;
      const windowWaiting = until(h.engine, (e) => e.kind === 'task' && e.stageId === '1<1' && e.status === 'RUNNING');
      const id = await h.engine.runPipeline(
        pipeline([
          {
            refId: '1',
            type: 'noop',
            restrictExecutionDuringTimeWindow: true,
            restrictedExecutionWindow: { whitelist: [{ startHour: closedHour, startMin: 0, endHour: closedHour, endMin: 30 }], timezone: 'UTC' },
          },
        ]),
        trigger(),
      );
      await windowWaiting;
      await new Promise((resolve) => setTimeout(resolve, 300));
      const waiting = await h.engine.get(id);
      assert.ok(Number(waiting?.stages.find((s) => s.id === '1<1')?.context['waitingUntil']) > Date.now(), 'sleeps until the window opens');
      assert.equal(waiting?.stages.find((s) => s.id === '1')?.tasks[0]?.status, 'NOT_STARTED');
      await h.engine.patchStage(id, '1<1', { skipRemainingWait: true });
      assert.equal((await h.engine.whenComplete(id)).execution.status, 'SUCCEEDED');
      await h.stop();
    });

    test('a child pipeline runs, wakes its parent when done, and is canceled with it', async () => {
      const h = await harness(await fixture.freshLocation());
      const childConfig = pipeline([{ refId: '1', type: 'emit', value: '${trigger.type}' }]);
      await h.store.pipelineConfigs.save({ id: 'child', application: 'app', name: 'child', body: childConfig as unknown as Record<string, unknown> });
      const parent = await h.engine.runPipeline(pipeline([{ refId: '1', type: 'child', application: 'app', pipeline: 'child' }]), trigger());
      const done = await h.engine.whenComplete(parent);
      assert.equal(done.execution.status, 'SUCCEEDED');
      assert.deepEqual(done.stages[0]!.outputs, { child: { value: 'pipeline' } });

      const slowChild = pipeline([{ refId: '1', type: 'answer' }]);
      await h.store.pipelineConfigs.save({ id: 'slow', application: 'app', name: 'slow', body: slowChild as unknown as Record<string, unknown> });
      const parent2 = await h.engine.runPipeline(pipeline([{ refId: '1', type: 'child', application: 'app', pipeline: 'slow' }]), trigger());
      const childRunning = await until(h.engine, (e) => e.kind === 'task' && e.executionId !== parent2 && e.status === 'RUNNING');
      await h.engine.cancel(parent2, 'bob');
      assert.equal((await h.engine.whenComplete(childRunning.executionId)).execution.status, 'CANCELED');
      await h.stop();
    });
  });
}

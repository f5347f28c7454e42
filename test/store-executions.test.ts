import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { createExecution, Draft, type ExecutionBlueprint, type ExecutionState, type MessageBody } from '../src/core/execution/index.js';
import type { QueuedMessage } from '../src/store/queue.js';
import type { ExecutionWrite, TransitionCommit } from '../src/store/executions.js';
import type { Store } from '../src/store/store.js';
import { engineFixtures, openAt } from './support/store-engines.js';

const now = 1_700_000_000_000;

function blueprint(id: string): ExecutionBlueprint {
  const stage = (refId: string, requisiteStageRefIds: string[]) => ({
    refId,
    type: 'noop',
    name: `stage ${refId}`,
    requisiteStageRefIds,
    onFailure: 'haltPipeline' as const,
    context: { note: `of ${id}` },
  });
  return {
    id,
    type: 'PIPELINE',
    application: 'app',
    name: 'p',
    trigger: { type: 'manual', user: 'ann', parameters: { unicode: 'zürich ☃' } },
    stages: [stage('1', []), stage('2', ['1'])],
  };
}

let messageCounter = 0;
function message(executionId: string, body: MessageBody = { kind: 'startExecution' }): QueuedMessage {
  messageCounter += 1;
  return { id: `m-${messageCounter}`, executionId, body, deliverAt: now, leaseOwner: null, leaseUntil: 0 };
}

function insert(id: string): { write: ExecutionWrite; state: ExecutionState; start: QueuedMessage } {
  const state = createExecution(blueprint(id), now);
  const start = message(id);
  return { write: { kind: 'insert', state, messages: [start] }, state, start };
}

/** A transition that starts stage 1 of `state`, consuming `consumed` and queueing one message. */
function startFirstStage(state: ExecutionState, consumed: QueuedMessage | undefined): { commit: TransitionCommit; queued: QueuedMessage } {
  const draft = new Draft(state, now + 1);
  draft.updateExecution({ status: 'RUNNING', startTime: now + 1 });
  draft.updateStage('1', { status: 'RUNNING', startTime: now + 1 });
  const queued = message(state.execution.id, { kind: 'completeStage', stageId: '1' });
  return {
    commit: {
      kind: 'transition',
      expectedVersion: state.execution.version,
      transition: draft.transition(),
      consumedMessageIds: consumed ? [consumed.id] : [],
      newMessages: [queued],
    },
    queued,
  };
}

/** Stage statuses by id: the store keeps no order among an execution's stage rows. */
function statuses(state: ExecutionState | undefined): Record<string, string> {
  return Object.fromEntries((state?.stages ?? []).map((stage) => [stage.id, stage.status]));
}

async function messageIds(store: Store): Promise<string[]> {
  const rows = await store.db.selectFrom('queue_messages').select('id').orderBy('id').execute();
  return rows.map((row) => row.id);
}

for (const fixture of engineFixtures()) {
  describe(`execution writes on ${fixture.engine}`, () => {
    after(() => fixture.teardown());

    test('new executions are stored with their stages and first messages; an existing id is refused and nothing of it written', async () => {
      const store = await openAt(await fixture.freshLocation());
      const a = insert('a');
      const b = insert('b');
      assert.deepEqual(await store.transaction((tx) => tx.executions.write([a.write, b.write])), [true, true]);
      assert.deepEqual(await store.executions.load('a'), a.state);
      assert.deepEqual(await store.executions.load('b'), b.state);

      const again = insert('a');
      const c = insert('c');
      assert.deepEqual(await store.transaction((tx) => tx.executions.write([again.write, c.write])), [false, true]);
      assert.deepEqual(await store.executions.load('a'), a.state, 'the first insert stands');
      assert.deepEqual(await messageIds(store), [a.start.id, b.start.id, c.start.id].sort(), 'the refused insert queued nothing');
      await store.close();
    });

    test('transitions in one batch: each applies only at its expected version, and a stale one writes nothing', async () => {
      const store = await openAt(await fixture.freshLocation());
      const a = insert('a');
      const b = insert('b');
      await store.transaction((tx) => tx.executions.write([a.write, b.write]));
      const fresh = startFirstStage(a.state, a.start);
      const stale = startFirstStage({ ...b.state, execution: { ...b.state.execution, version: 7 } }, b.start);
      assert.deepEqual(await store.transaction((tx) => tx.executions.write([fresh.commit, stale.commit])), [true, false]);

      const loadedA = await store.executions.load('a');
      assert.equal(loadedA?.execution.version, 1);
      assert.equal(loadedA?.execution.status, 'RUNNING');
      assert.equal(loadedA?.stages.find((stage) => stage.id === '1')?.status, 'RUNNING');
      assert.deepEqual(await store.executions.load('b'), b.state, 'the stale transition changed nothing');
      assert.deepEqual(await messageIds(store), [b.start.id, fresh.queued.id].sort(), "a's start consumed, b's kept for redelivery");
      assert.deepEqual(await store.executions.list({ statuses: ['RUNNING'] }).then((rows) => rows.map((row) => row.id)), ['a']);
      await store.close();
    });

    test('one execution twice in a batch behaves as written one after the other', async () => {
      const store = await openAt(await fixture.freshLocation());
      const a = insert('a');
      const first = startFirstStage(a.state, a.start);
      const duplicate = startFirstStage(a.state, undefined);
      const next = new Draft({ execution: { ...first.commit.transition.execution, version: 1 }, stages: a.state.stages }, now + 2);
      next.updateStage('2', { status: 'RUNNING' });
      const second: TransitionCommit = { kind: 'transition', expectedVersion: 1, transition: next.transition(), consumedMessageIds: [], newMessages: [] };
      const applied = await store.transaction((tx) => tx.executions.write([a.write, first.commit, duplicate.commit, second]));
      assert.deepEqual(applied, [true, true, false, true]);
      const loaded = await store.executions.load('a');
      assert.equal(loaded?.execution.version, 2);
      assert.deepEqual(statuses(loaded), { '1': 'RUNNING', '2': 'RUNNING' });
      assert.deepEqual(await messageIds(store), [first.queued.id], 'only the applied transitions queued messages');
      await store.close();
    });

    test('a transition that changes no row keeps the version, consumes its message and queues the new ones; deleted stages go', async () => {
      const store = await openAt(await fixture.freshLocation());
      const a = insert('a');
      await store.transaction((tx) => tx.executions.write([a.write]));
      const idle = new Draft(a.state, now + 1);
      idle.send({ kind: 'completeExecution' });
      const queued = message('a', { kind: 'completeExecution' });
      const unchanged: TransitionCommit = { kind: 'transition', expectedVersion: 99, transition: idle.transition(), consumedMessageIds: [a.start.id], newMessages: [queued] };
      assert.deepEqual(await store.transaction((tx) => tx.executions.write([unchanged])), [true]);
      assert.equal((await store.executions.load('a'))?.execution.version, 0);
      assert.deepEqual(await messageIds(store), [queued.id]);

      const pruning = new Draft(a.state, now + 2);
      pruning.deleteStage('2');
      const deletion: TransitionCommit = { kind: 'transition', expectedVersion: 0, transition: pruning.transition(), consumedMessageIds: [], newMessages: [] };
      assert.deepEqual(await store.transaction((tx) => tx.executions.write([deletion])), [true]);
      assert.deepEqual((await store.executions.load('a'))?.stages.map((stage) => stage.id), ['1']);
      await store.close();
    });

    test('written straight through the store, without a caller transaction, a batch opens its own', async () => {
      const store = await openAt(await fixture.freshLocation());
      const a = insert('a');
      const b = insert('b');
      const started = startFirstStage(a.state, a.start);
      assert.deepEqual(await store.executions.write([a.write, b.write]), [true, true]);
      assert.deepEqual(await store.executions.write([started.commit, insert('a').write, insert('c').write]), [true, false, true]);
      assert.equal((await store.executions.load('a'))?.execution.status, 'RUNNING');
      assert.deepEqual(await messageIds(store), [b.start.id, started.queued.id, ...(await store.db.selectFrom('queue_messages').select('id').where('execution_id', '=', 'c').execute()).map((row) => row.id)].sort());
      await store.close();
    });

    test('batches larger than one statement holds are written whole', async () => {
      const store = await openAt(await fixture.freshLocation());
      const inserts = Array.from({ length: 1_100 }, (_, i) => insert(`x${String(i).padStart(4, '0')}`));
      const applied = await store.transaction((tx) => tx.executions.write(inserts.map((entry) => entry.write)));
      assert.equal(applied.filter(Boolean).length, 1_100);
      const transitions = inserts.map((entry) => startFirstStage(entry.state, entry.start).commit);
      const moved = await store.transaction((tx) => tx.executions.write(transitions));
      assert.equal(moved.filter(Boolean).length, 1_100);
      assert.equal((await store.executions.list({ statuses: ['RUNNING'], limit: 2_000 })).length, 1_100);
      assert.equal(await store.queue.count(), 1_100);
      assert.deepEqual(statuses(await store.executions.load('x1099')), { '1': 'RUNNING', '2': 'NOT_STARTED' });
      await store.close();
    });

    // Two writers at once need PostgreSQL: on SQLite the second connection in this thread would wait
    // on the first's write lock synchronously, and the first could never finish.
    if (fixture.engine === 'postgres') test('concurrent batches limiting the same pipelines in opposite orders neither deadlock nor exceed a limit', async () => {
      const location = await fixture.freshLocation();
      const stores = [await openAt(location), await openAt(location)];
      const limited = (id: string, pipelineConfigId: string): { write: ExecutionWrite; start: TransitionCommit } => {
        const state = createExecution({ ...blueprint(id), pipelineConfigId }, now);
        const { commit } = startFirstStage(state, undefined);
        return { write: { kind: 'insert', state, messages: [] }, start: { ...commit, concurrencyLimit: { pipelineConfigId, limit: 1 } } };
      };
      for (let round = 0; round < 10; round++) {
        const runs = ['p', 'q', 'r'].flatMap((pipeline) => [limited(`${pipeline}${round}-0`, `${pipeline}${round}`), limited(`${pipeline}${round}-1`, `${pipeline}${round}`)]);
        await stores[0]!.executions.write(runs.map((run) => run.write));
        const forward = runs.filter((_, index) => index % 2 === 0).map((run) => run.start);
        const backward = runs.filter((_, index) => index % 2 === 1).map((run) => run.start).reverse();
        const [first, second] = await Promise.all([stores[0]!.executions.write(forward), stores[1]!.executions.write(backward)]);
        // Of each pipeline's two runs exactly one started, whichever batch got there first.
        const started = [...first!, ...[...second!].reverse()];
        for (let pipeline = 0; pipeline < 3; pipeline++) assert.notEqual(started[pipeline], started[pipeline + 3], `round ${round}, pipeline ${pipeline}`);
      }
      await Promise.all(stores.map((store) => store.close()));
    });
  });
}

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { GroupCommitter } from '../src/engine/committer.js';
import type { ExecutionWrite } from '../src/store/executions.js';

/** A write naming only its execution: the committer never looks inside. */
function write(executionId: string): ExecutionWrite {
  return { kind: 'transition', expectedVersion: 0, transition: { execution: { id: executionId } } as never, consumedMessageIds: [], newMessages: [] };
}

/** A batch writer whose commits the test ends by hand, recording what each batch held. */
class ManualWriter {
  readonly batches: string[][] = [];
  readonly #ends: (() => void)[] = [];
  readonly write = (writes: readonly ExecutionWrite[]): Promise<boolean[]> => {
    this.batches.push(writes.map((entry) => (entry.kind === 'transition' ? entry.transition.execution.id : entry.state.execution.id)));
    return new Promise((resolve) => this.#ends.push(() => resolve(writes.map((entry) => entry.kind === 'transition' && !entry.transition.execution.id.startsWith('stale')))));
  };

  get inFlight(): number {
    return this.#ends.length;
  }

  endOldest(): void {
    this.#ends.shift()!();
  }
}

test('writes submitted in one turn go in one batch; each caller learns whether its own write applied', async () => {
  const writer = new ManualWriter();
  const committer = new GroupCommitter(writer.write);
  const results = [committer.submit(write('a')), committer.submit(write('stale-b')), committer.submit(write('c'))];
  await nextTurn();
  assert.deepEqual(writer.batches, [['a', 'stale-b', 'c']]);
  writer.endOldest();
  assert.deepEqual(await Promise.all(results), [true, false, true]);
  assert.deepEqual(committer.stats(), { batches: 1, commits: 3 });
});

test('a write arriving during a commit starts its own batch at once; beyond two in flight, writes wait and then go together', async () => {
  const writer = new ManualWriter();
  const committer = new GroupCommitter(writer.write);
  const first = committer.submit(write('a'));
  await nextTurn();
  const second = committer.submit(write('b'));
  await nextTurn();
  assert.deepEqual(writer.batches, [['a'], ['b']], 'b did not wait for a to commit');
  const waiting = [committer.submit(write('c')), committer.submit(write('d'))];
  await nextTurn();
  await nextTurn();
  assert.equal(writer.inFlight, 2, 'no third batch while two are in flight');
  writer.endOldest();
  assert.equal(await first, true);
  await nextTurn();
  assert.deepEqual(writer.batches, [['a'], ['b'], ['c', 'd']]);
  writer.endOldest();
  writer.endOldest();
  assert.deepEqual(await Promise.all([second, ...waiting]), [true, true, true]);
});

test('the in-flight bound and batch size are settings: one in flight queues everything behind it, a full batch leaves the rest for the next', async () => {
  const writer = new ManualWriter();
  const committer = new GroupCommitter(writer.write, { maxInFlight: 1, maxBatch: 2 });
  const results = ['a', 'b', 'c'].map((id) => committer.submit(write(id)));
  await nextTurn();
  const late = committer.submit(write('d'));
  await nextTurn();
  assert.deepEqual(writer.batches, [['a', 'b']]);
  writer.endOldest();
  await Promise.all(results.slice(0, 2));
  await nextTurn();
  assert.deepEqual(writer.batches, [['a', 'b'], ['c', 'd']]);
  writer.endOldest();
  assert.deepEqual(await Promise.all([...results, late]), [true, true, true, true]);
});

test('a failed commit rejects every write in its batch and the committer goes on with the next', async () => {
  let fail = true;
  const committer = new GroupCommitter(async (writes) => {
    if (fail) throw new Error('disk full');
    return writes.map(() => true);
  });
  const failed = [committer.submit(write('a')), committer.submit(write('b'))];
  await Promise.all(failed.map((result) => assert.rejects(result, /disk full/)));
  fail = false;
  assert.equal(await committer.submit(write('c')), true);
});

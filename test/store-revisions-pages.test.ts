import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { createExecution, type ExecutionBlueprint } from '../src/core/execution/index.js';
import { GennakerError } from '../src/core/errors.js';
import type { ExecutionPosition } from '../src/store/executions.js';
import { engineFixtures, openAt } from './support/store-engines.js';

function blueprint(id: string, application: string): ExecutionBlueprint {
  return {
    id,
    type: 'PIPELINE',
    application,
    name: 'p',
    trigger: { type: 'manual', user: 'ann', parameters: {} },
    stages: [{ refId: '1', type: 'noop', name: 'one', requisiteStageRefIds: [], onFailure: 'haltPipeline', context: {} }],
  };
}

function conflict(error: unknown): boolean {
  assert.ok(error instanceof GennakerError);
  assert.equal(error.code, 'GNK_E_CONFLICT');
  return true;
}

for (const fixture of engineFixtures()) {
  describe(`pipeline revisions and execution pages on ${fixture.engine}`, () => {
    after(() => fixture.teardown());

    test('every save is a revision holding the pipeline as written, its author and time; delete removes the history', async () => {
      let clock = 1000;
      const store = await openAt(await fixture.freshLocation(), () => clock);
      const pipeline = { id: 'p1', application: 'shop', name: 'deploy' };
      await store.pipelineConfigs.save({ ...pipeline, body: { normalised: 1 }, written: { wait: 1 }, author: 'ann' });
      clock = 2000;
      const second = await store.pipelineConfigs.save({ ...pipeline, body: { normalised: 2 }, written: { wait: 2 }, author: 'bob', expectedVersion: 1 });
      assert.equal(second.version, 2);
      assert.deepEqual(second.body, { normalised: 2 });
      clock = 3000;
      await store.pipelineConfigs.save({ ...pipeline, body: { normalised: 3 } });

      const revisions = await store.pipelineConfigs.revisions('p1');
      assert.deepEqual(
        revisions.map(({ revision, author, body, createdAt }) => [revision, author, body, createdAt]),
        [
          [3, 'gennaker', { normalised: 3 }, 3000],
          [2, 'bob', { wait: 2 }, 2000],
          [1, 'ann', { wait: 1 }, 1000],
        ],
      );
      assert.deepEqual((await store.pipelineConfigs.revision('p1', 2))?.body, { wait: 2 });
      assert.equal(await store.pipelineConfigs.revision('p1', 4), undefined);
      assert.equal((await store.pipelineConfigs.previousRevision('p1', 3))?.revision, 2);
      assert.equal(await store.pipelineConfigs.previousRevision('p1', 1), undefined);

      await assert.rejects(store.pipelineConfigs.save({ ...pipeline, body: {}, expectedVersion: 2 }), conflict);
      assert.equal((await store.pipelineConfigs.revisions('p1')).length, 3);

      assert.equal(await store.pipelineConfigs.delete('p1'), true);
      assert.deepEqual(await store.pipelineConfigs.revisions('p1'), []);
      assert.equal(await store.pipelineConfigs.delete('p1'), false);
      await store.close();
    });

    test('a save inside a transaction that fails leaves neither the pipeline nor its revision', async () => {
      const store = await openAt(await fixture.freshLocation());
      await assert.rejects(
        store.transaction(async (tx) => {
          await tx.pipelineConfigs.save({ id: 'p2', application: 'shop', name: 'x', body: {} });
          throw new Error('changed my mind');
        }),
        /changed my mind/,
      );
      assert.equal(await store.pipelineConfigs.get('p2'), undefined);
      assert.deepEqual(await store.pipelineConfigs.revisions('p2'), []);
      await store.close();
    });

    test('execution pages follow build time then id, newest first, and a cursor continues exactly after the last row', async () => {
      const store = await openAt(await fixture.freshLocation());
      // Ties on build time are where an offset-free cursor must fall back on the id.
      const times = [5000, 5000, 5000, 4000, 6000, 5000, 3000];
      const states = times.map((time, index) => createExecution(blueprint(`e${index}`, 'shop'), time));
      await store.executions.write(states.map((state) => ({ kind: 'insert', state, messages: [] })));
      await store.executions.write([{ kind: 'insert', state: createExecution(blueprint('other', 'elsewhere'), 5000), messages: [] }]);

      const expected = states
        .map((state) => ({ id: state.execution.id, buildTime: state.execution.buildTime }))
        .sort((a, b) => b.buildTime - a.buildTime || (a.id < b.id ? 1 : -1))
        .map((row) => row.id);
      for (const pageSize of [1, 2, 3, 7]) {
        const seen: string[] = [];
        let after: ExecutionPosition | undefined;
        for (let page = 0; page < 10; page++) {
          const rows = await store.executions.list({ application: 'shop', limit: pageSize, ...(after && { after }) });
          seen.push(...rows.map((row) => row.id));
          const last = rows.at(-1);
          if (rows.length < pageSize || !last) break;
          after = { buildTime: last.buildTime, id: last.id };
        }
        assert.deepEqual(seen, expected, `pages of ${pageSize}`);
      }
      assert.equal(await store.executions.applicationOf('other'), 'elsewhere');
      assert.equal(await store.executions.applicationOf('nosuch'), undefined);
      await store.close();
    });
  });
}

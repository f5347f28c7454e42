import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { z } from 'zod';
import { Engine } from '../src/engine/engine.js';
import { defineStage } from '../src/engine/stage-contract.js';
import { createLogger } from '../src/log/logger.js';
import { engineFixtures, openAt } from './support/store-engines.js';
import { testStages } from './support/test-stages.js';

/** Stands in for a deploy whose strategy plans a rollback: it fails, and its on-failure stage records that it ran. */
const rollbackRuns: string[] = [];
const stages = [
  ...testStages,
  defineStage({
    type: 'failingDeploy',
    input: z.looseObject({}),
    plan: () => ({
      tasks: [{ name: 'deploy', implementation: 'deploy' }],
      beforeStages: [],
      afterStages: [],
      onFailureStages: [{ type: 'recordRollback', name: 'rollback', context: { target: 'app-v001' } }],
    }),
    tasks: { deploy: { run: async () => ({ kind: 'terminal', failure: { code: 'GNK_E_TASK_FAILED', message: 'health check timed out' } }) } },
  }),
  defineStage({
    type: 'recordRollback',
    input: z.looseObject({ target: z.string() }),
    plan: () => ({ tasks: [{ name: 'rollback', implementation: 'rollback' }], beforeStages: [], afterStages: [] }),
    tasks: {
      rollback: {
        run: async ({ input, execution }) => {
          rollbackRuns.push(`${execution.id}:${(input as { target: string }).target}`);
          return { kind: 'succeeded' };
        },
      },
    },
  }),
];

for (const fixture of engineFixtures()) {
  describe(`on-failure stages on ${fixture.engine}`, () => {
    after(() => fixture.teardown());

    test('a failing stage runs its planned on-failure stage through the store, then ends TERMINAL with its own failure', async () => {
      const location = await fixture.freshLocation();
      const store = await openAt(location);
      const engine = new Engine({ store, stages, logger: createLogger('silent'), dataDir: location.dataDir, nodeId: 'node-a' });
      await engine.start();
      try {
        const id = await engine.run({
          id: `on-failure-${fixture.engine}`,
          type: 'ORCHESTRATION',
          application: 'app',
          name: 'deploy with rollback',
          trigger: { type: 'manual', user: 'ann', parameters: {} },
          stages: [{ refId: '1', type: 'failingDeploy', name: 'Deploy', requisiteStageRefIds: [], onFailure: 'haltPipeline', context: {} }],
        });
        const done = await engine.whenComplete(id);
        assert.equal(done.execution.status, 'TERMINAL');
        const deploy = done.stages.find((stage) => stage.refId === '1')!;
        const rollback = done.stages.find((stage) => stage.refId === '1!1')!;
        assert.equal(deploy.status, 'TERMINAL');
        assert.equal(deploy.failure?.message, 'health check timed out');
        assert.equal(rollback.status, 'SUCCEEDED');
        assert.equal(rollback.syntheticStageOwner, 'STAGE_ON_FAILURE');
        assert.deepEqual(rollbackRuns.filter((run) => run.startsWith(id)), [`${id}:app-v001`]);
        const stored = await store.executions.load(id);
        assert.equal(stored?.stages.find((stage) => stage.refId === '1!1')?.status, 'SUCCEEDED');
      } finally {
        await engine.stop();
        await store.close();
      }
    });
  });
}

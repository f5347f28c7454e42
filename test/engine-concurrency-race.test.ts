import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { z } from 'zod';
import { validatePipeline } from '../src/core/pipeline/validate.js';
import { defineStageType } from '../src/core/pipeline/stage-types/stage-type.js';
import { Engine } from '../src/engine/engine.js';
import { createLogger } from '../src/log/logger.js';
import type { Store } from '../src/store/store.js';
import { engineFixtures, openAt } from './support/store-engines.js';
import { testStages } from './support/test-stages.js';

const logger = createLogger('silent');
const pipelines = 8;

/** Until every run has either started its waiting task or been parked NOT_STARTED with nothing queued. */
async function settled(store: Store, ids: readonly string[]): Promise<void> {
  for (let attempt = 0; attempt < 200; attempt++) {
    const states = await Promise.all(ids.map((id) => store.executions.load(id)));
    const queued = await store.queue.count();
    const running = states.filter((state) => state?.stages.some((stage) => stage.tasks.some((task) => task.status === 'RUNNING'))).length;
    const parked = states.filter((state) => state?.execution.status === 'NOT_STARTED').length;
    // Each running run has exactly one queued message: its waiting task's long backoff.
    if (running + parked === ids.length && queued === running) return;
    await sleep(25);
  }
  throw new Error('runs did not settle');
}

// Only PostgreSQL can host two engines in one test process: SQLite's write lock would make two
// connections in one thread wait on each other. SQLite processes are covered by the same code path,
// where the transaction holds the database's write lock while counting.
const [, postgres] = engineFixtures();
describe('limitConcurrent across two engine processes on PostgreSQL', () => {
  after(() => postgres!.teardown());

  test('runs started on both at the same moment never exceed the limit; the rest wait', async () => {
    const location = await postgres!.freshLocation();
    const stores = [await openAt(location), await openAt(location)];
    const engines = stores.map((store, index) => new Engine({ store, stages: testStages, logger, dataDir: location.dataDir, nodeId: `node-${index}`, sweepMs: 50 }));
    await Promise.all(engines.map((engine) => engine.start()));
    try {
      const stageTypes = { answer: defineStageType(z.looseObject({})) };
      const ids: string[] = [];
      for (let index = 0; index < pipelines; index++) {
        const result = validatePipeline({ application: 'app', name: `p${index}`, limitConcurrent: true, keepWaitingPipelines: true, stages: [{ refId: '1', type: 'answer' }] }, { stageTypes });
        assert.ok(result.ok);
        await stores[0]!.pipelineConfigs.save({ id: `limited-${index}`, application: 'app', name: `p${index}`, body: result.pipeline as unknown as Record<string, unknown> });
      }
      for (let index = 0; index < pipelines; index++) {
        ids.push(...(await Promise.all(engines.map((engine) => engine.startPipeline(`limited-${index}`, { type: 'manual', user: 'ann', parameters: {} })))));
      }
      await settled(stores[0]!, ids);
      for (let index = 0; index < pipelines; index++) {
        const runs = await stores[0]!.executions.list({ pipelineConfigId: `limited-${index}` });
        assert.deepEqual(runs.map((run) => run.status).sort(), ['NOT_STARTED', 'RUNNING'], `pipeline limited-${index}`);
      }
    } finally {
      await Promise.all(engines.map((engine) => engine.stop()));
      await Promise.all(stores.map((store) => store.close()));
    }
  });
});

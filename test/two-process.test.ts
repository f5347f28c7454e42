import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, test } from 'node:test';
import { isComplete, type EngineEvent } from '../src/core/execution/index.js';
import { validatePipeline } from '../src/core/pipeline/validate.js';
import { Engine } from '../src/engine/engine.js';
import { createLogger } from '../src/log/logger.js';
import { builtInStages } from '../src/stages/index.js';
import { plannedExecutions } from './support/crash-pipelines.js';
import { assertOutcome, waitUntilSettled } from './support/crash-verdict.js';
import { startEffectServer } from './support/effect-server.js';
import { startEngineProcess, type EngineProcess } from './support/engine-process.js';
import { startPostgres, type PostgresCluster } from './support/postgres.js';
import { seededRandom, testSeed } from './support/seeded-random.js';
import { openAt } from './support/store-engines.js';

const executions = 30;
/** New executions are unleased; submitting them one at a time lets both processes' sweeps find some. */
const submitEveryMs = 25;
const engineSettings = { leaseMs: 2_000, sweepMs: 100 };
const killWithinMs = 300;
const timeoutMs = 120_000;
const zombieRepair = 'execution was RUNNING with no queued work';

const startedIn = (events: readonly EngineEvent[]): Set<string> =>
  new Set(events.filter((event) => event.kind === 'execution' && event.status === 'RUNNING').map((event) => event.executionId));

async function bounded(condition: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) assert.fail(`timed out waiting until ${what}`);
    await sleep(50);
  }
}

describe('two engine processes on PostgreSQL', () => {
  let cluster: PostgresCluster;
  before(async () => {
    cluster = await startPostgres();
  });
  after(() => cluster.stop());

  test('when one of two engine processes is killed mid-run, the other finishes every execution as designed, each side effect once', async (t) => {
    const seed = testSeed();
    t.diagnostic(`seed ${seed}: run again with GENNAKER_TEST_SEED=${seed}`);
    const random = seededRandom(seed);
    const server = await startEffectServer(seededRandom(seed + 1));
    // One machine, two processes: they share the data directory, where runJob keeps each job's claim.
    const dataDir = await mkdtemp(join(tmpdir(), 'gennaker-pair-'));
    const runsFile = join(dataDir, 'runs.log');
    const location = { dataDir, databaseUrl: await cluster.createDatabase() };
    const store = await openAt(location);
    const planned = plannedExecutions(executions, 'pair', { hookUrl: server.url, runsFile });
    const processes: EngineProcess[] = [];
    try {
      processes.push(startEngineProcess({ ...location, nodeId: 'node-a', ...engineSettings }));
      processes.push(startEngineProcess({ ...location, nodeId: 'node-b', ...engineSettings }));
      await Promise.all(processes.map((child) => child.ready));

      // An engine that is never started only stores executions; the two processes take them from the queue.
      const submitter = new Engine({ store, stages: builtInStages(), logger: createLogger('silent'), dataDir, nodeId: 'submitter' });
      for (const { submission } of planned) {
        const validated = validatePipeline(submission.pipeline);
        if (!validated.ok) assert.fail(JSON.stringify(validated.errors));
        await submitter.runPipeline(validated.pipeline, { type: 'manual', user: 'test', parameters: submission.parameters }, { id: submission.id });
        await sleep(submitEveryMs);
      }
      await bounded(() => processes.reduce((sum, child) => sum + startedIn(child.events).size, 0) >= executions, 'every execution has started');
      const [a, b] = processes.map((child) => startedIn(child.events).size) as [number, number];
      t.diagnostic(`node-a started ${a} executions, node-b ${b}`);

      const [victim, survivor] = a >= b ? [processes[0]!, processes[1]!] : [processes[1]!, processes[0]!];
      await sleep(Math.floor(random() * killWithinMs));
      await victim.kill();
      const orphaned: string[] = [];
      for (const id of startedIn(victim.events)) {
        if (!isComplete((await store.executions.load(id))!.execution.status)) orphaned.push(id);
      }
      t.diagnostic(`killed the process that started more; ${orphaned.length} of its executions were unfinished`);
      assert.ok(orphaned.length > 0, 'the kill landed while the victim had work in flight');

      await waitUntilSettled(
        store,
        planned.map((entry) => entry.submission.id),
        timeoutMs,
        () => `survivor:\n${survivor.stderr()}\nvictim:\n${victim.stderr()}`,
      );
      const finishedBySurvivor = new Set(survivor.events.filter((event) => event.kind === 'execution' && isComplete(event.status)).map((event) => event.executionId));
      assert.deepEqual(
        orphaned.filter((id) => !finishedBySurvivor.has(id)),
        [],
        'the survivor finished every execution the victim left unfinished',
      );
      assert.equal(await survivor.stop(), 0, 'the survivor stops cleanly');

      const report = await assertOutcome(store, planned, server, runsFile);
      assert.ok(!survivor.stderr().includes(zombieRepair), `no execution was ever left without queued work:\n${survivor.stderr()}`);
      const errors = survivor.stderr().split('\n').filter((line) => line.includes('"level":50')).length;
      t.diagnostic(`the survivor logged ${errors} errors`);
      t.diagnostic(`${report.deliveries} webhook deliveries of which ${report.repeatedDeliveries} repeated a key; ${report.jobRuns} job runs`);
    } finally {
      await Promise.all(processes.map((child) => child.kill()));
      await store.close();
      await server.close();
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});

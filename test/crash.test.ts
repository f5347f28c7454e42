import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { isComplete } from '../src/core/execution/index.js';
import { plannedExecutions } from './support/crash-pipelines.js';
import { assertOutcome, waitUntilSettled } from './support/crash-verdict.js';
import { startEffectServer } from './support/effect-server.js';
import { startEngineProcess, type EngineProcess } from './support/engine-process.js';
import { seededRandom, testSeed } from './support/seeded-random.js';
import { engineFixtures, openAt } from './support/store-engines.js';

const kills = 12;
/** Each start submits this many more executions, so every kill finds fresh work in flight. */
const executionsPerStart = 5;
/** A quarter of the kills land while the engine starts (taking over its leases, submitting), the rest while it runs. */
const startupKillShare = 0.25;
const startupKillMs = { from: 100, to: 500 };
const runningKillMs = { from: 0, to: 1_000 };
const settleTimeoutMs = 120_000;
const nodeId = 'crash-node';
const zombieRepair = 'execution was RUNNING with no queued work';

for (const fixture of engineFixtures()) {
  describe(`crash recovery on ${fixture.engine}`, () => {
    after(() => fixture.teardown());

    test('an engine SIGKILLed at random moments and restarted finishes every execution as designed and repeats no side effect', async (t) => {
      const seed = testSeed();
      t.diagnostic(`seed ${seed}: run again with GENNAKER_TEST_SEED=${seed}`);
      const killAt = seededRandom(seed);
      const server = await startEffectServer(seededRandom(seed + 1));
      const dir = await mkdtemp(join(tmpdir(), 'gennaker-crash-'));
      const runsFile = join(dir, 'runs.log');
      const submissionsFile = join(dir, 'submissions.json');
      const planned = plannedExecutions(kills * executionsPerStart, 'crash', { hookUrl: server.url, runsFile });
      const location = await fixture.freshLocation();
      // The store is migrated here, once, before any child races to do it.
      const store = await openAt(location);
      const children: EngineProcess[] = [];
      const stderr = (): string => children.map((child, index) => `--- engine ${index}\n${child.stderr()}`).join('\n');
      try {
        for (let round = 0; round < kills; round++) {
          await writeFile(submissionsFile, JSON.stringify(planned.slice(0, (round + 1) * executionsPerStart).map((entry) => entry.submission)));
          const child = startEngineProcess({ ...location, nodeId, submissions: submissionsFile, repairMs: 2_000 });
          children.push(child);
          const duringStartup = killAt() < startupKillShare;
          const window = duringStartup ? startupKillMs : runningKillMs;
          const delayMs = Math.floor(window.from + killAt() * (window.to - window.from));
          if (!duringStartup) await child.ready;
          await sleep(delayMs);
          await child.kill();
          const executions = await store.executions.list({ limit: 1_000 });
          const done = executions.filter((execution) => isComplete(execution.status)).length;
          const queued = await store.queue.count();
          t.diagnostic(`kill ${round + 1}, ${delayMs} ms after ${duringStartup ? 'spawn' : 'ready'}: ${done}/${executions.length} executions complete, ${queued} messages queued`);
        }

        await writeFile(submissionsFile, JSON.stringify(planned.map((entry) => entry.submission)));
        const last = startEngineProcess({ ...location, nodeId, submissions: submissionsFile, repairMs: 2_000 });
        children.push(last);
        await last.ready;
        await waitUntilSettled(store, planned.map((entry) => entry.submission.id), settleTimeoutMs, stderr);
        assert.equal(await last.stop(), 0, 'the last engine stops cleanly');

        const report = await assertOutcome(store, planned, server, runsFile);
        assert.ok(!stderr().includes(zombieRepair), `no execution was ever left without queued work:\n${stderr()}`);
        t.diagnostic(
          `${planned.length} executions, ${kills} kills; ${report.deliveries} webhook deliveries of which ${report.repeatedDeliveries} repeated a key; ${report.jobRuns} job runs`,
        );
      } finally {
        await Promise.all(children.map((child) => child.kill()));
        await store.close();
        await server.close();
        await rm(dir, { recursive: true, force: true });
      }
    });
  });
}

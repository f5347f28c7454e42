import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { isComplete } from '../../src/core/execution/index.js';
import type { Store } from '../../src/store/store.js';
import type { PlannedExecution } from './crash-pipelines.js';
import type { EffectServer } from './effect-server.js';

/**
 * Waits (polling the store, bounded by `timeoutMs`) until every execution exists and is complete and
 * the queue is empty. On time-out it fails, listing what is still open and what `context` says.
 */
export async function waitUntilSettled(store: Store, ids: readonly string[], timeoutMs: number, context: () => string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const open: string[] = [];
    for (const id of ids) {
      const state = await store.executions.load(id);
      if (!state || !isComplete(state.execution.status)) open.push(`${id}: ${state?.execution.status ?? 'missing'}`);
    }
    const queued = await store.queue.count();
    if (open.length === 0 && queued === 0) return;
    if (Date.now() > deadline) {
      assert.fail(`not settled after ${timeoutMs} ms: ${open.length} open (${open.slice(0, 10).join(', ')}), ${queued} queued\n${context()}`);
    }
    await sleep(200);
  }
}

export interface EffectReport {
  /** Webhook requests that arrived, redeliveries included. */
  readonly deliveries: number;
  /** Of those, how many repeated a key seen before (expected after a crash; the receiver ignores them). */
  readonly repeatedDeliveries: number;
  readonly jobRuns: number;
}

/** `executionId/stageId`: where a task idempotency key (`executionId/stageId/run/task`) belongs. */
function stageOfKey(key: string): string {
  return key.split('/').slice(0, 2).join('/');
}

/**
 * Asserts the outcome of a run of planned executions: each ended with its designed status and stage
 * statuses (failed jobs failing for their exit code, not for a lost start), each webhook stage that
 * should run had its effect exactly once and no other was called, each job that should run ran exactly
 * once under one key and no other ran, and nothing is left in the queue.
 */
export async function assertOutcome(store: Store, planned: readonly PlannedExecution[], server: EffectServer, runsFile: string): Promise<EffectReport> {
  for (const { submission, expected, design } of planned) {
    const state = await store.executions.load(submission.id);
    assert.ok(state, `${submission.id} (${design}) exists`);
    const where = `${submission.id} (${design})`;
    const stages = Object.fromEntries(state.stages.filter((stage) => stage.parentStageId === undefined).map((stage) => [stage.refId, stage.status]));
    const failures = state.stages.flatMap((stage) => (stage.failure ? [`${stage.refId}: ${stage.failure.message}`] : []));
    assert.deepEqual(stages, expected.stages, `${where}: stage statuses (failures: ${failures.join('; ') || 'none'})`);
    assert.equal(state.execution.status, expected.status, `${where}: execution status`);
    for (const [refId, exitCode] of Object.entries(expected.failedJobs)) {
      const failure = state.stages.find((stage) => stage.refId === refId)?.failure;
      assert.match(failure?.message ?? '', new RegExp(`^the job exited with code ${exitCode}\\b`), `${where}: job ${refId} failed for its exit code`);
    }
    for (const refId of expected.webhooks) {
      const first = [...server.firstDeliveries.values()].find((delivery) => delivery.path === `/hook/${submission.id}/${refId}`);
      assert.deepEqual(first?.body, { label: `run-${String(submission.parameters['n'])}`, stage: refId }, `${where}: webhook ${refId} payload`);
    }
  }

  const expectedHooks = planned.flatMap(({ submission, expected }) => expected.webhooks.map((refId) => `/hook/${submission.id}/${refId}`)).sort();
  assert.deepEqual([...server.effects.keys()].sort(), expectedHooks, 'exactly the webhook stages that should run were called');
  for (const [path, applied] of server.effects) assert.equal(applied, 1, `${path}: one idempotency key, so one effect`);
  for (const delivery of server.deliveries) {
    assert.equal(`/hook/${stageOfKey(delivery.idempotencyKey)}`, delivery.path, 'a webhook key names its execution and stage');
  }

  const runs = (await readFile(runsFile, 'utf8').catch(() => '')).split('\n').filter((line) => line !== '');
  const runsPerKey = new Map<string, number>();
  for (const key of runs) runsPerKey.set(key, (runsPerKey.get(key) ?? 0) + 1);
  for (const [key, count] of runsPerKey) assert.equal(count, 1, `job ${key} ran ${count} times`);
  const expectedJobs = planned.flatMap(({ submission, expected }) => expected.jobs.map((refId) => `${submission.id}/${refId}`)).sort();
  assert.deepEqual(runs.map(stageOfKey).sort(), expectedJobs, 'exactly the job stages that should run ran, each under one key');

  assert.equal(await store.queue.count(), 0, 'no message left in the queue');
  return { deliveries: server.deliveries.length, repeatedDeliveries: server.deliveries.length - server.firstDeliveries.size, jobRuns: runs.length };
}

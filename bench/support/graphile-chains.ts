import { EventEmitter } from 'node:events';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { Logger, makeWorkerUtils, run, type Task, type WorkerEvents } from 'graphile-worker';
import type { Window } from './engine-load.js';

export interface ChainOptions {
  /** Chains running side by side; each job, when it runs, adds the next job of its chain. */
  readonly chains: number;
  /** graphile-worker's concurrentJobs for the one worker pool. */
  readonly concurrency: number;
  /**
   * Its documented throughput options (worker.graphile.org/docs/performance): jobs fetched and locked
   * concurrency + 1 at a time, completions batched. Completion batching risks running a job again
   * after a crash, never losing one: the next job of a chain was committed before its predecessor ends.
   */
  readonly batched: boolean;
  readonly window: Window;
}

/** Warnings and errors only: the peer must not pay for formatting per-job log lines we would discard. */
const quietLogger = new Logger(() => (level, message) => {
  if (level === 'error' || level === 'warning') console.error(`graphile-worker ${level}: ${message}`);
});

/**
 * graphile-worker as the engine's peer: chained no-op jobs on the same PostgreSQL. A job's only work
 * is to add the next job of its chain (helpers.addJob, a committed insert), like a durable state
 * machine moving one step. Counts jobs that finished successfully per second after a warm-up.
 */
export async function graphileChainThroughput(connectionString: string, options: ChainOptions): Promise<{ jobsPerSec: number }> {
  let counting = false;
  let chaining = true;
  let succeeded = 0;
  let lastFinished = performance.now();
  const events: WorkerEvents = new EventEmitter();
  events.on('job:success', () => {
    lastFinished = performance.now();
    if (counting) succeeded += 1;
  });
  const step: Task = async (payload, helpers) => {
    if (chaining) await helpers.addJob('step', payload);
  };
  const runner = await run({
    connectionString,
    concurrency: options.concurrency,
    // The documented advice: concurrency + 2 connections, so job fetching and completion never wait for a client.
    maxPoolSize: options.concurrency + 2,
    noHandleSignals: true,
    logger: quietLogger,
    events,
    taskList: { step },
    ...(options.batched ? { preset: { worker: { localQueue: { size: options.concurrency + 1 }, completeJobBatchDelay: 0 } } } : {}),
  });
  const utils = await makeWorkerUtils({ connectionString, logger: quietLogger });
  try {
    for (let chain = 0; chain < options.chains; chain++) await utils.addJob('step', { chain });
    await sleep(options.window.warmupMs);
    counting = true;
    const started = performance.now();
    await sleep(options.window.measureMs);
    counting = false;
    const seconds = (performance.now() - started) / 1000;
    // Let the chains run dry before stopping: stopping 0.17.3's local queue while jobs still flow fails.
    chaining = false;
    while (performance.now() - lastFinished < 250) await sleep(50);
    return { jobsPerSec: succeeded / seconds };
  } finally {
    await runner.stop();
    await utils.release();
  }
}

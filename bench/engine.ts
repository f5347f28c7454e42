import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { Engine } from '../src/engine/engine.js';
import { createLogger } from '../src/log/logger.js';
import { noopStage } from '../src/stages/index.js';
import { openStore } from '../src/store/open.js';
import type { StoreEngine } from '../src/store/store.js';
import { startPostgres } from '../test/support/postgres.js';
import { maxThroughput, Meter, pacedLoad, type Window } from './support/engine-load.js';
import { graphileChainThroughput } from './support/graphile-chains.js';
import { percentile, round } from './support/stats.js';

interface Settings {
  readonly only: ReadonlySet<string>;
  readonly window: Window;
  /** Executions kept in flight while measuring the maximum. */
  readonly concurrency: number;
}

const parts = ['sqlite', 'postgres', 'graphileWorker'];

/**
 * The best of the settings tried on this machine (concurrency 4, 8, 16 and 32, with and without the
 * documented batching options); twice as many chains as workers keeps every worker busy.
 */
const graphilePeer = { chains: 16, concurrency: 8, batched: true };

/**
 * What docs/postgresql.md recommends for a production server, where it matters in a run this short.
 * A fresh cluster has no WAL segments to recycle, so at the engine's write rate it creates one every
 * few seconds; zero-filling each (16 MB, then fsync) held every commit for about 100 ms.
 */
const recommendedPostgresSettings = ['wal_init_zero=off'];

function settings(args: readonly string[]): Settings {
  const flags = new Map<string, string>();
  for (let i = 0; i < args.length; i += 2) flags.set(args[i]!.replace(/^--/, ''), args[i + 1] ?? '');
  const only = flags.get('only')?.split(',') ?? parts;
  const unknown = only.filter((part) => !parts.includes(part));
  if (unknown.length > 0) throw new Error(`--only takes ${parts.join(', ')}; got ${unknown.join(', ')}`);
  return {
    only: new Set(only),
    window: { warmupMs: Number(flags.get('warmup-ms') ?? 2_000), measureMs: Number(flags.get('measure-ms') ?? 8_000) },
    concurrency: Number(flags.get('concurrency') ?? 200),
  };
}

/** Writes out what earlier phases left in the WAL, so no phase pays for another's checkpoint. */
async function checkpoint(databaseUrl: string): Promise<void> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query('checkpoint');
  } finally {
    await client.end();
  }
}

/** Maximum throughput (closed loop), then dispatch latency under half of it (open loop), on one store. */
async function engineFigures(engine: StoreEngine, location: { dataDir: string; databaseUrl?: string }, settings: Settings): Promise<Record<string, number>> {
  const store = await openStore(location);
  const meter = new Meter();
  const subject = new Engine({
    store,
    stages: [noopStage()],
    logger: createLogger('silent'),
    dataDir: location.dataDir,
    nodeId: `bench-${engine}`,
    onDispatch: meter.onDispatch,
  });
  subject.events.on('event', meter.onEvent);
  await subject.start();
  try {
    const max = await maxThroughput(subject, meter, settings.concurrency, settings.window);
    const { batches, commits } = subject.stats();
    console.log(
      `${engine}: ${round(max.transitionsPerSec)} transitions/s, ${round(max.messagesPerSec)} messages/s, ${round(max.executionsPerSec)} executions/s; ` +
        `${round(commits / batches)} writes per group commit`,
    );
    const paced = await pacedLoad(subject, meter, max.executionsPerSec / 2, settings.window);
    const p50 = percentile(paced.delaysMs, 50);
    const p99 = percentile(paced.delaysMs, 99);
    console.log(`${engine}: at half load (${round(paced.transitionsPerSec)} transitions/s) dispatch p50 ${p50} ms, p99 ${p99} ms over ${paced.delaysMs.length} messages`);
    return {
      transitionsPerSec: round(max.transitionsPerSec, 0),
      messagesPerSec: round(max.messagesPerSec, 0),
      executionsPerSec: round(max.executionsPerSec, 0),
      halfLoadTransitionsPerSec: round(paced.transitionsPerSec, 0),
      dispatchP50Ms: p50,
      dispatchP99Ms: p99,
      dispatchMaxMs: Math.max(...paced.delaysMs),
    };
  } finally {
    await subject.stop();
    await store.close();
  }
}

export async function run(args: readonly string[]): Promise<Record<string, unknown>> {
  const chosen = settings(args);
  const scratch = mkdtempSync(join(tmpdir(), 'gennaker-bench-engine-'));
  const result: Record<string, unknown> = { bench: 'engine', measureMs: chosen.window.measureMs, concurrency: chosen.concurrency };
  try {
    if (chosen.only.has('sqlite')) result['sqlite'] = await engineFigures('sqlite', { dataDir: join(scratch, 'sqlite') }, chosen);
    if (chosen.only.has('postgres') || chosen.only.has('graphileWorker')) {
      // fsync stays on: durable commits are what is measured, for the engine and its peer alike.
      const cluster = await startPostgres({ durable: true, settings: recommendedPostgresSettings });
      try {
        if (chosen.only.has('postgres')) {
          const databaseUrl = await cluster.createDatabase('gennaker_bench');
          await checkpoint(databaseUrl);
          result['postgres'] = await engineFigures('postgres', { dataDir: join(scratch, 'pg'), databaseUrl }, chosen);
        }
        if (chosen.only.has('graphileWorker')) {
          const connectionString = await cluster.createDatabase('graphile_bench');
          await checkpoint(connectionString);
          const peer = await graphileChainThroughput(connectionString, { ...graphilePeer, window: chosen.window });
          console.log(`graphile-worker: ${round(peer.jobsPerSec)} chained jobs/s`);
          result['graphileWorker'] = { jobsPerSec: round(peer.jobsPerSec, 0), ...graphilePeer };
        }
      } finally {
        await cluster.stop();
      }
    }
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
  return result;
}

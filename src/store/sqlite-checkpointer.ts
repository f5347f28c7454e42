import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

const checkpointIntervalMs = 200;

/**
 * The worker's whole program. Its own connection runs PASSIVE checkpoints (which never wait for the
 * main connection's readers or writer) with synchronous=FULL, so the WAL is synced before its frames are
 * copied into the database file and the database file is synced before the WAL may be reused. Kept as
 * source text because the application ships as one bundled file and a worker needs a program of its own.
 */
const workerProgram = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driverPath);
const database = new Database(workerData.databasePath, { timeout: 0 });
database.pragma('synchronous = FULL');
const checkpoint = () => {
  try {
    database.pragma('wal_checkpoint(PASSIVE)');
  } catch (error) {
    // SQLITE_BUSY: another connection is checkpointing; the next round catches up.
  }
};
const timer = setInterval(checkpoint, workerData.intervalMs);
parentPort.on('message', () => {
  clearInterval(timer);
  checkpoint();
  database.close();
  parentPort.close();
});
`;

export interface Checkpointer {
  /** Runs a last checkpoint and closes the worker's connection. */
  stop(): Promise<void>;
}

/**
 * Checkpoints the database's WAL from a worker thread. A checkpoint syncs the WAL and the database file;
 * on the main thread those syncs would stall every request for as long as the disk takes (tens to
 * hundreds of milliseconds on a busy virtual disk), so the main connection never checkpoints itself
 * (wal_autocheckpoint=0) and this worker does it every 200 ms instead. `onFailure` runs if the worker
 * dies (it cannot open the file, say), so that the main connection can take checkpoints back.
 */
export function startCheckpointer(databasePath: string, onFailure: () => void): Checkpointer {
  const driverPath = createRequire(import.meta.url).resolve('better-sqlite3');
  const worker = new Worker(workerProgram, { eval: true, workerData: { driverPath, databasePath, intervalMs: checkpointIntervalMs } });
  worker.unref();
  worker.once('error', onFailure);
  const exited = new Promise<void>((resolveExit) => worker.once('exit', () => resolveExit()));
  return {
    stop: async () => {
      // Unreferenced, the worker would not keep the process up while its last checkpoint runs.
      worker.ref();
      worker.postMessage('stop');
      await exited;
    },
  };
}

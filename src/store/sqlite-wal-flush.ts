import { open, type FileHandle } from 'node:fs/promises';
import { GennakerError } from '../core/errors.js';

/** Makes everything written to the write-ahead log so far durable. */
export type SyncWal = () => Promise<void>;

/**
 * Group commit for SQLite's write-ahead log, off the event loop. The connection commits without
 * syncing (synchronous=OFF; see sqlite.ts), and a commit is acknowledged only after `flush()`
 * resolves: an fdatasync of the WAL file, run on libuv's thread pool, that started after the commit
 * was written. Commits that ask while one sync runs share the next one, so a burst of commits costs two
 * syncs however long it is. A failed sync fails every later flush too: after an fsync error the kernel
 * may have dropped the unwritten pages, and a later "successful" sync would not bring them back.
 */
export class WalFlusher {
  readonly #sync: SyncWal;
  #running: Promise<void> | undefined;
  #next: Promise<void> | undefined;
  #failure: unknown;

  constructor(sync: SyncWal) {
    this.#sync = sync;
  }

  flush(): Promise<void> {
    if (this.#failure !== undefined) return Promise.reject(this.#failure);
    if (this.#next) return this.#next;
    if (!this.#running) return this.#start();
    // The running sync may have started before this caller's commit was written: it needs the next one.
    const next = this.#running.then(
      () => this.#start(),
      () => this.#start(),
    );
    this.#next = next;
    return next;
  }

  /** Waits for the syncs already asked for (before closing the file). */
  async settle(): Promise<void> {
    await Promise.allSettled([this.#running, this.#next]);
  }

  #start(): Promise<void> {
    this.#next = undefined;
    if (this.#failure !== undefined) return Promise.reject(this.#failure);
    const run = this.#sync().then(
      () => {
        if (this.#running === run) this.#running = undefined;
      },
      (error: unknown) => {
        this.#failure ??= error;
        if (this.#running === run) this.#running = undefined;
        throw this.#failure;
      },
    );
    this.#running = run;
    return run;
  }
}

/**
 * fdatasync of `<database>-wal` through a handle of our own: on Linux a sync flushes the file's dirty
 * pages whichever descriptor wrote them. The handle is opened at the first sync (the file exists once
 * the connection has written) and kept: SQLite reuses and truncates the WAL but does not delete it
 * while a connection is open.
 */
export function walFileSync(walPath: string): { sync: SyncWal; close: () => Promise<void> } {
  let handle: Promise<FileHandle> | undefined;
  return {
    sync: async () => {
      try {
        handle ??= open(walPath, 'r');
        await (await handle).datasync();
      } catch (error) {
        const reason = error instanceof Error ? error.message : String(error);
        throw new GennakerError('GNK_E_STORE_UNAVAILABLE', `cannot make ${walPath} durable: ${reason}`, [{ path: 'dataDir' }], { cause: error });
      }
    },
    close: async () => {
      const opened = handle;
      handle = undefined;
      if (opened) await (await opened.catch(() => undefined))?.close();
    },
  };
}

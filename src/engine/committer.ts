import type { Store } from '../store/store.js';
import type { ExecutionWrite } from '../store/executions.js';

interface Pending {
  readonly write: ExecutionWrite;
  readonly resolve: (applied: boolean) => void;
  readonly reject: (error: unknown) => void;
}

/**
 * Group commit: writes (new executions, transitions) submitted while a commit is in flight wait and
 * go together in the next transaction, written with a few multi-row statements. One fsync then makes
 * many transitions durable, which is what lets SQLite, syncing every commit, keep up with the engine.
 * Every caller learns whether its own write applied.
 */
export class GroupCommitter {
  #pending: Pending[] = [];
  #flushing = false;
  #scheduled = false;
  #batches = 0;
  #commits = 0;

  constructor(
    private readonly store: Store,
    private readonly maxBatch = 1_000,
  ) {}

  submit(write: ExecutionWrite): Promise<boolean> {
    return new Promise((resolve, reject) => {
      this.#pending.push({ write, resolve, reject });
      this.#schedule();
    });
  }

  /** Batches written and transitions committed so far (for metrics and benchmarks). */
  stats(): { batches: number; commits: number } {
    return { batches: this.#batches, commits: this.#commits };
  }

  /**
   * Flushes on the next turn of the event loop, never straight from the end of the previous flush:
   * the callers that flush just released hand in their next writes meanwhile (their handlers run
   * on the microtask queue), and those then ride in this batch instead of waiting a whole commit.
   */
  #schedule(): void {
    if (this.#scheduled || this.#flushing || this.#pending.length === 0) return;
    this.#scheduled = true;
    setImmediate(() => {
      this.#scheduled = false;
      void this.#flush();
    });
  }

  async #flush(): Promise<void> {
    this.#flushing = true;
    const batch = this.#pending.splice(0, this.maxBatch);
    try {
      const applied = await this.store.executions.write(batch.map((pending) => pending.write));
      this.#batches += 1;
      this.#commits += batch.length;
      batch.forEach((pending, index) => pending.resolve(applied[index]!));
    } catch (error) {
      for (const pending of batch) pending.reject(error);
    } finally {
      this.#flushing = false;
      this.#schedule();
    }
  }
}

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
 * many transitions durable, which is what lets SQLite with synchronous=FULL keep up with the engine.
 * Every caller learns whether its own write applied.
 */
export class GroupCommitter {
  #pending: Pending[] = [];
  #flushing = false;
  #batches = 0;
  #commits = 0;

  constructor(
    private readonly store: Store,
    private readonly maxBatch = 1_000,
  ) {}

  submit(write: ExecutionWrite): Promise<boolean> {
    return new Promise((resolve, reject) => {
      this.#pending.push({ write, resolve, reject });
      if (!this.#flushing) {
        this.#flushing = true;
        setImmediate(() => void this.#flush());
      }
    });
  }

  /** Batches written and transitions committed so far (for metrics and benchmarks). */
  stats(): { batches: number; commits: number } {
    return { batches: this.#batches, commits: this.#commits };
  }

  async #flush(): Promise<void> {
    while (this.#pending.length > 0) {
      const batch = this.#pending.splice(0, this.maxBatch);
      try {
        const applied = await this.store.transaction((tx) => tx.executions.write(batch.map((pending) => pending.write)));
        this.#batches += 1;
        this.#commits += batch.length;
        batch.forEach((pending, index) => pending.resolve(applied[index]!));
      } catch (error) {
        for (const pending of batch) pending.reject(error);
      }
    }
    this.#flushing = false;
  }
}

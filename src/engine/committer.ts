import type { ExecutionWrite } from '../store/executions.js';

/** Writes a batch in one transaction; says, in order, whether each write applied. */
export type BatchWriter = (writes: readonly ExecutionWrite[]) => Promise<boolean[]>;

interface Pending {
  readonly write: ExecutionWrite;
  readonly resolve: (applied: boolean) => void;
  readonly reject: (error: unknown) => void;
}

/**
 * Group commit: writes (new executions, transitions) submitted while commits are in flight wait and
 * go together in the next transaction, written with a few multi-row statements. One fsync then makes
 * many transitions durable, which is what lets SQLite, syncing every commit, keep up with the engine.
 * Every caller learns whether its own write applied.
 *
 * Up to `maxInFlight` batches are committed at once, so a write that arrives during a commit waits
 * for the next turn of the event loop, not for that commit to end and then for its own: its wait is
 * about one commit instead of up to two. Batches in flight together never hold two writes of one
 * execution (each execution's actor awaits its write before it makes the next), and the store
 * orders whatever locks a batch takes, so concurrent batches cannot deadlock.
 */
export class GroupCommitter {
  #pending: Pending[] = [];
  #inFlight = 0;
  #scheduled = false;
  #batches = 0;
  #commits = 0;

  constructor(
    private readonly writeBatch: BatchWriter,
    private readonly options: { readonly maxBatch?: number; readonly maxInFlight?: number } = {},
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
   * Flushes on the next turn of the event loop, never straight from the end of a previous flush:
   * the callers that flush just released hand in their next writes meanwhile (their handlers run
   * on the microtask queue), and those then ride in this batch instead of waiting a whole commit.
   */
  #schedule(): void {
    if (this.#scheduled || this.#inFlight >= (this.options.maxInFlight ?? 2) || this.#pending.length === 0) return;
    this.#scheduled = true;
    setImmediate(() => {
      this.#scheduled = false;
      void this.#flush();
    });
  }

  async #flush(): Promise<void> {
    const batch = this.#pending.splice(0, this.options.maxBatch ?? 1_000);
    if (batch.length === 0) return;
    this.#inFlight += 1;
    this.#schedule();
    try {
      const applied = await this.writeBatch(batch.map((pending) => pending.write));
      this.#batches += 1;
      this.#commits += batch.length;
      batch.forEach((pending, index) => pending.resolve(applied[index]!));
    } catch (error) {
      for (const pending of batch) pending.reject(error);
    } finally {
      this.#inFlight -= 1;
      this.#schedule();
    }
  }
}

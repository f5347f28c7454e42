import type { ResourceChange } from '../core/cloud/index.js';
import type { Logger } from '../log/logger.js';
import type { StreamCursor } from '../store/inventory.js';
import type { Store } from '../store/store.js';

/**
 * Writes the inventory's changes to the store in the order they were applied, batching whatever piled
 * up during the previous write into one transaction (instance health can change often). A failed write
 * is logged, not retried: the store holds a last known state, and the next reconcile rewrites it.
 */
export class InventoryWriter {
  private pending: Array<{ changes: readonly ResourceChange[]; cursor?: StreamCursor }> = [];
  private flushing: Promise<void> | undefined;

  constructor(
    private readonly store: Store,
    private readonly logger: Logger,
  ) {}

  write(changes: readonly ResourceChange[], cursor?: StreamCursor): void {
    this.pending.push({ changes, ...(cursor ? { cursor } : {}) });
    this.flushing ??= this.flush();
  }

  /** Resolves once everything written so far is in the store. */
  async drain(): Promise<void> {
    while (this.flushing) await this.flushing;
  }

  private async flush(): Promise<void> {
    while (this.pending.length > 0) {
      const batch = this.pending.splice(0);
      try {
        await this.store.transaction(async (tx) => {
          for (const { changes, cursor } of batch) await tx.inventory.save(changes, cursor);
        });
      } catch (error) {
        this.logger.error({ err: error, changes: batch.length }, 'inventory: could not store changes');
      }
    }
    this.flushing = undefined;
  }
}

import type { Config } from '../config/schema.js';
import type { Logger } from '../log/logger.js';
import type { Store } from '../store/store.js';

const hourMs = 3_600_000;
const dayMs = 24 * hourMs;

/**
 * Deletes finished executions past the retention period, hourly (as Front50 does), keeping the newest
 * few of every pipeline so a rarely run pipeline never loses its history.
 */
export function startRetention(store: Store, settings: Config['engine'], logger: Logger, now: () => number = Date.now): { stop(): void } {
  const sweep = async (): Promise<void> => {
    try {
      const removed = await store.transaction((tx) =>
        tx.executions.deleteFinishedBefore(now() - settings.retentionDays * dayMs, settings.keepPerPipeline),
      );
      if (removed > 0) logger.info({ removed, retentionDays: settings.retentionDays }, 'old executions deleted');
    } catch (error) {
      logger.error({ err: error }, 'execution retention sweep failed');
    }
  };
  void sweep();
  const timer = setInterval(() => void sweep(), hourMs);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}

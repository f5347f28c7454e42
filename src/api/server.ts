import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { Inventory } from '../inventory/inventory.js';
import type { Logger } from '../log/logger.js';
import type { Store } from '../store/store.js';
import { installErrorHandling } from './http-errors.js';
import { registerHealthRoutes } from './routes/health.js';
import { registerInventoryRoutes } from './routes/inventory.js';

export interface ApiDependencies {
  readonly store: Store;
  readonly version: string;
  readonly logger: Logger;
  readonly inventory: Inventory;
}

/** Largest request body accepted; pipelines are the largest documents and stay far below it. */
export const bodyLimitBytes = 1024 * 1024;

export function buildApi({ store, version, logger, inventory }: ApiDependencies): FastifyInstance {
  const loggerInstance: FastifyBaseLogger = logger;
  const app = Fastify({
    loggerInstance,
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: bodyLimitBytes,
  });
  installErrorHandling(app);
  registerHealthRoutes(app, { version, store: { engine: store.engine, location: store.location } });
  registerInventoryRoutes(app, inventory);
  return app;
}

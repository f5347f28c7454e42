import cookie from '@fastify/cookie';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import Fastify, {
  LogController,
  type FastifyBaseLogger,
  type FastifyInstance,
  type RawReplyDefaultExpression,
  type RawRequestDefaultExpression,
  type RawServerDefault,
} from 'fastify';
import { jsonSchemaTransform, serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import type { AuditRecorder } from '../core/audit/event.js';
import type { Engine } from '../engine/engine.js';
import type { Inventory } from '../inventory/inventory.js';
import type { Logger } from '../log/logger.js';
import type { ProviderRegistry } from '../providers/registry.js';
import type { Store } from '../store/store.js';
import { installAccessControl, type AccessControl } from './access.js';
import { installAuditHook } from './audit-hook.js';
import type { AuthSettings } from './auth/settings.js';
import { answerFrameworkError, installErrorHandling } from './http-errors.js';
import { LiveEventHub } from './live-events.js';
import { createPlatformMetrics } from './metrics.js';
import { recordRoutes } from './route-table.js';
import { registerAuditRoutes } from './routes/audit.js';
import { registerAuthRoutes } from './routes/auth.js';
import { registerEventRoutes } from './routes/events.js';
import { registerHealthRoutes } from './routes/health.js';
import { registerApplicationRoutes } from './routes/applications.js';
import { registerExecutionRoutes } from './routes/executions.js';
import { registerFreezeRoutes } from './routes/freezes.js';
import { registerInventoryRoutes } from './routes/inventory.js';
import { registerMetricsRoutes } from './routes/metrics.js';
import { registerOperationRoutes } from './routes/operations.js';
import { registerPipelineRoutes } from './routes/pipelines.js';
import { registerQuarantineRoutes } from './routes/quarantine.js';
import { registerTokenRoutes } from './routes/tokens.js';
import { registerUserRoutes } from './routes/users.js';

export interface ApiDependencies {
  readonly store: Store;
  readonly version: string;
  readonly logger: Logger;
  readonly inventory: Inventory;
  readonly engine: Engine;
  readonly providers: ProviderRegistry;
  readonly access: AccessControl;
  readonly audit: AuditRecorder;
  readonly auth: AuthSettings;
}

/** The Fastify instance routes are registered on: zod schemas validate requests and document them. */
export type ApiApp = FastifyInstance<RawServerDefault, RawRequestDefaultExpression, RawReplyDefaultExpression, FastifyBaseLogger, ZodTypeProvider>;

/** An idle event stream gets a comment this often: well inside the 60 s idle timeout common to proxies. */
const liveEventHeartbeatMs = 15_000;

/** Largest request body accepted; pipelines are the largest documents and stay far below it. */
export const bodyLimitBytes = 1024 * 1024;

export async function buildApi(deps: ApiDependencies): Promise<ApiApp> {
  const loggerInstance: FastifyBaseLogger = deps.logger;
  const app = Fastify({
    loggerInstance,
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: bodyLimitBytes,
    frameworkErrors: answerFrameworkError,
  }).withTypeProvider<ZodTypeProvider>();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  installErrorHandling(app);
  await app.register(swagger, {
    openapi: {
      info: { title: 'Gennaker API', version: deps.version, description: 'Everything Gennaker does, over HTTP. See docs/api.md.' },
      components: {
        securitySchemes: {
          bearer: { type: 'http', scheme: 'bearer', description: 'An API token (gnk_…), shown once when created' },
          session: { type: 'apiKey', in: 'cookie', name: 'gennaker_session' },
        },
      },
      security: [{ bearer: [] }, { session: [] }],
    },
    transform: jsonSchemaTransform,
  });
  await app.register(swaggerUi, { routePrefix: '/api/docs' });
  await app.register(cookie);
  recordRoutes(app);
  installAccessControl(app, deps.access);
  installAuditHook(app, deps.audit);
  const hub = new LiveEventHub({ engine: deps.engine.events, inventory: deps.inventory.events });
  hub.start();
  const metrics = createPlatformMetrics({ store: deps.store, engine: deps.engine, inventory: deps.inventory, liveStreams: () => hub.subscriberCount });
  app.addHook('onClose', async () => {
    hub.stop();
    metrics.close();
  });
  // Before every other route, so the request-duration hook sees them all.
  registerMetricsRoutes(app, metrics);
  app.get('/api/openapi.json', { config: { access: { kind: 'public' } }, schema: { hide: true } }, () => app.swagger());
  registerHealthRoutes(app, { version: deps.version, store: { engine: deps.store.engine, location: deps.store.location } });
  registerApplicationRoutes(app, deps);
  registerPipelineRoutes(app, deps);
  registerExecutionRoutes(app, deps);
  registerOperationRoutes(app, deps);
  registerInventoryRoutes(app, deps);
  registerFreezeRoutes(app, deps);
  registerQuarantineRoutes(app, deps);
  registerAuditRoutes(app, { store: deps.store, access: deps.access });
  registerAuthRoutes(app, { store: deps.store, audit: deps.audit, settings: deps.auth });
  registerUserRoutes(app, { store: deps.store, audit: deps.audit, settings: deps.auth });
  registerTokenRoutes(app, { store: deps.store, audit: deps.audit });
  registerEventRoutes(app, { hub, access: deps.access, heartbeatMs: liveEventHeartbeatMs });
  return app;
}

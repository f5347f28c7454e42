import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { openAccessControl } from '../api/access.js';
import { storeAccessControl } from '../api/auth/access-control.js';
import { authSettingsFrom } from '../api/auth/settings.js';
import { buildApi, type ApiApp } from '../api/server.js';
import type { Config } from '../config/schema.js';
import type { AuditRecorder } from '../core/audit/event.js';
import type { CloudServices } from '../engine/cloud-services.js';
import { Engine } from '../engine/engine.js';
import { Inventory } from '../inventory/inventory.js';
import { ProviderRegistry } from '../providers/registry.js';
import { builtInStages } from '../stages/index.js';
import type { Logger } from '../log/logger.js';
import { openStore } from '../store/open.js';
import type { Store } from '../store/store.js';
import { startAudit } from './audit.js';
import type { AuditTrail } from './audit-trail.js';
import { auditEngineEvents } from './audit-engine.js';
import { auditedCloudServices } from './audited-cloud-services.js';
import { authorizedCloudServices } from './authorized-cloud-services.js';
import { cloudServices } from './cloud-services.js';
import { seedDemo } from './demo.js';
import { ensureInitialAdmin, initialAdminPasswordFileName, initialAdminUser } from './initial-admin.js';
import { demoUser, deployDemo } from './demo-deploy.js';
import { connectLocalCloud, type LocalCloudConnectOptions } from './local-cloud.js';
import { startRetention } from './retention.js';
import { gennakerVersion } from './version.js';

export interface StartOptions extends LocalCloudConnectOptions {
  /** Where audit events go; until the audit trail is wired here, tests pass a recorder to observe them. */
  readonly audit?: AuditRecorder;
}

export interface RunningGennaker {
  readonly store: Store;
  readonly engine: Engine;
  readonly providers: ProviderRegistry;
  readonly inventory: Inventory;
  readonly api: ApiApp;
  readonly audit: AuditTrail;
  /** The address the API listens on, e.g. http://127.0.0.1:8084 */
  readonly url: string;
  /** With authentication on, where the first administrator's password is while that file exists. */
  readonly initialAdmin?: { readonly passwordFile: string; readonly createdNow: boolean };
  stop(): Promise<void>;
}

/** The composition root: opens the store, builds the API, listens. Nothing else wires modules together. */
export async function startGennaker(config: Config, logger: Logger, options: StartOptions = {}): Promise<RunningGennaker> {
  const store = await openStore({ dataDir: config.dataDir, databaseUrl: config.db.url?.reveal() });
  logger.info({ engine: store.engine, location: store.location }, 'store ready');
  let providers: ProviderRegistry;
  try {
    providers = new ProviderRegistry(await connectLocalCloud(config, logger, options));
  } catch (error) {
    await store.close();
    throw error;
  }
  const inventory = new Inventory({ store, registry: providers, logger, reconcileIntervalMs: config.inventory.reconcileIntervalMs });
  await inventory.start();
  if (config.demo) await seedDemo(store, logger);
  const audit = startAudit(config, store, logger);
  const stages = builtInStages();
  const authSettings = authSettingsFrom(config);
  const authorized = (cloud: CloudServices): CloudServices => (config.auth.enabled ? authorizedCloudServices(cloud, store, authSettings) : cloud);
  const engine = new Engine({
    store,
    stages,
    defaultTimezone: config.engine.defaultTimezone,
    logger,
    dataDir: config.dataDir,
    nodeId: config.engine.nodeId,
    cloud: auditedCloudServices(authorized(cloudServices(inventory, providers, store)), store, audit.trail),
  });
  const stopAuditingEngine = auditEngineEvents(engine, stages, store, audit.trail, logger);
  await engine.start();
  const retention = startRetention(store, config.engine, logger);
  let api: ApiApp | undefined;
  let url: string;
  let initialAdmin: RunningGennaker['initialAdmin'];
  try {
    if (config.auth.enabled) {
      const createdNow = await ensureInitialAdmin(store, config.auth.adminRole, config.dataDir, logger);
      const passwordFile = join(config.dataDir, initialAdminPasswordFileName);
      if (existsSync(passwordFile)) initialAdmin = { passwordFile, createdNow };
    } else {
      logger.warn('authentication is OFF (--insecure-no-auth): every caller is an administrator');
    }
    api = await buildApi({
      store,
      version: gennakerVersion,
      logger,
      inventory,
      engine,
      providers,
      access: config.auth.enabled ? storeAccessControl(store, authSettings) : openAccessControl,
      audit: options.audit ?? audit.trail,
      auth: authSettings,
    });
    url = await api.listen({ host: config.server.host, port: config.server.port });
  } catch (error) {
    await api?.close();
    retention.stop();
    await engine.stop();
    await stopAuditingEngine();
    await audit.stop();
    await inventory.stop();
    await providers.close();
    await store.close();
    throw error;
  }
  logger.info({ url, version: gennakerVersion }, 'gennaker listening');
  if (config.demo && config.localCloud.enabled) {
    deployDemo(engine, inventory, logger, config.auth.enabled ? initialAdminUser : demoUser).catch((error: unknown) => logger.error({ err: error }, 'demo: the deploy failed'));
  }
  return {
    store,
    engine,
    providers,
    inventory,
    api,
    audit: audit.trail,
    url,
    initialAdmin,
    stop: async () => {
      await api.close();
      retention.stop();
      await engine.stop();
      await stopAuditingEngine();
      await audit.stop();
      // The local-cloud daemon keeps running, and with it every instance and balancer.
      await inventory.stop();
      await providers.close();
      await store.close();
    },
  };
}

import type { Config } from '../config/schema.js';
import { spawnLocalCloudDaemon } from '../localcloud/index.js';
import type { Logger } from '../log/logger.js';
import { localCloudRegistration } from '../providers/local/registration.js';
import type { ProviderRegistration } from '../providers/registry.js';

export interface LocalCloudConnectOptions {
  /** Handed to a daemon this process starts, so it reads the same localCloud section. */
  readonly configFile?: string;
}

/**
 * The local cloud's provider registration when the local cloud is enabled: re-adopts the daemon the data
 * directory announces (it outlives control planes, with its instances and balancers), or starts one
 * detached. Stopping the control plane never stops the daemon.
 */
export async function connectLocalCloud(config: Config, logger: Logger, options: LocalCloudConnectOptions): Promise<ProviderRegistration[]> {
  if (!config.localCloud.enabled) return [];
  const daemon = await spawnLocalCloudDaemon({
    dataDir: config.dataDir,
    ...(options.configFile === undefined ? {} : { configFile: options.configFile }),
  });
  logger.info({ url: daemon.url, pid: daemon.pid, adopted: daemon.adopted }, daemon.adopted ? 'local cloud: adopted the running daemon' : 'local cloud: started the daemon');
  return [localCloudRegistration(config.localCloud, daemon.url, logger)];
}

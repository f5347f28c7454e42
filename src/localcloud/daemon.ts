import { mkdirSync, rmSync } from 'node:fs';
import type { LocalCloudInfo } from '../core/cloud/index.js';
import type { Config } from '../config/schema.js';
import type { Logger } from '../log/logger.js';
import { writeFileAtomically } from './atomic-write.js';
import type { BalancerBackend, TargetGroup } from './balancer.js';
import { BuiltinBalancer } from './builtin-balancer.js';
import { HaproxyBalancer } from './haproxy-balancer.js';
import { buildLocalCloudApi } from './http-api.js';
import { LocalCloud } from './local-cloud.js';
import { LoadBalancerMetrics } from './metrics.js';
import { localCloudPaths } from './paths.js';
import type { LoadBalancerRecord } from './state-file.js';

export interface LocalCloudDaemonOptions {
  readonly config: Config;
  readonly version: string;
  readonly logger: Logger;
  readonly host: string;
  readonly port: number;
  readonly cwd: string;
}

export interface RunningLocalCloud {
  readonly url: string;
  stop(): Promise<void>;
}

/**
 * Starts the local cloud in this process: rebuilds from the state file, serves the API, and announces
 * itself in daemon.json once ready (removed again on a clean stop).
 */
export async function startLocalCloudDaemon({ config, version, logger, host, port, cwd }: LocalCloudDaemonOptions): Promise<RunningLocalCloud> {
  const files = localCloudPaths(config.dataDir);
  mkdirSync(files.root, { recursive: true });
  const startedAt = Date.now();
  const metrics = new LoadBalancerMetrics();
  const kind = config.localCloud.loadBalancer;
  const startBalancer = (record: LoadBalancerRecord, targets: () => readonly TargetGroup[]): Promise<BalancerBackend> =>
    kind === 'haproxy'
      ? HaproxyBalancer.start(record, targets, { dir: files.haproxy, host, logger, metrics })
      : BuiltinBalancer.start(record, targets, metrics, host);
  const cloud = await LocalCloud.start({ files, accounts: config.localCloud.accounts, host, startBalancer, metrics, logger, cwd, startedAt });
  const info = (): LocalCloudInfo => ({ version, pid: process.pid, startedAt, accounts: cloud.accounts(), loadBalancer: kind });
  const api = buildLocalCloudApi({ cloud, metrics, info, logger });
  await api.listen({ host, port });
  const address = api.server.address();
  const url = `http://${host}:${typeof address === 'object' && address ? address.port : port}`;
  writeFileAtomically(files.announcement, `${JSON.stringify({ pid: process.pid, url, startedAt })}\n`);
  logger.info({ url, dataDir: config.dataDir, loadBalancer: kind }, 'local cloud listening');
  return {
    url,
    stop: async () => {
      rmSync(files.announcement, { force: true });
      await api.close();
      await cloud.shutdown();
    },
  };
}

import { join } from 'node:path';

/** Where the daemon keeps its files under the data directory. */
export function localCloudPaths(dataDir: string) {
  const root = join(dataDir, 'localcloud');
  return {
    root,
    state: join(root, 'state.json'),
    announcement: join(root, 'daemon.json'),
    daemonLog: join(root, 'daemon.log'),
    artifacts: join(root, 'artifacts'),
    instanceLog: (serverGroup: string, instanceId: string) => join(root, 'logs', serverGroup, `${instanceId}.log`),
    haproxy: join(root, 'haproxy'),
  };
}
export type LocalCloudFiles = ReturnType<typeof localCloudPaths>;

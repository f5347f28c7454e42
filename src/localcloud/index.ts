export { startLocalCloudDaemon, type LocalCloudDaemonOptions, type RunningLocalCloud } from './daemon.js';
export { findLocalCloudDaemon, spawnLocalCloudDaemon, type LocalCloudDaemonHandle, type SpawnLocalCloudOptions } from './spawn-daemon.js';
export { localCloudPaths as localCloudFiles } from './paths.js';

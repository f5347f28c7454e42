import { spawnLocalCloudDaemon } from '../../src/localcloud/index.js';
import { cliPath } from './cli.js';

// Starts (or adopts) the data directory's daemon, prints the handle and exits: the parent a daemon must outlive.
const handle = await spawnLocalCloudDaemon({ dataDir: process.argv[2]!, cliPath });
process.stdout.write(JSON.stringify({ pid: handle.pid, url: handle.url, adopted: handle.adopted }));

import { setTimeout as sleep } from 'node:timers/promises';
import { openStore } from '../../src/store/open.js';

// Run as a separate process by tests that need real concurrency between stores (better-sqlite3 is
// synchronous, so two connections in one thread would block each other rather than interleave).
// All children open at the same agreed instant, after their modules are loaded, so they truly race.
const [dataDir, databaseUrl, startAt] = process.argv.slice(2);
await sleep(Math.max(0, Number(startAt) - Date.now()));
const store = await openStore({ dataDir: dataDir!, databaseUrl: databaseUrl || undefined });
process.stdout.write(JSON.stringify(await store.appliedMigrations()));
await store.close();

import { setTimeout as sleep } from 'node:timers/promises';
import { AuditTrail } from '../../src/app/audit-trail.js';
import { openStore } from '../../src/store/open.js';

// Appends `count` audit events as `actor` from its own process, starting at an agreed instant, so
// tests can race several appenders on one database (better-sqlite3 is synchronous: two connections in
// one thread would block each other rather than interleave).
const [dataDir, databaseUrl, startAt, actor, count] = process.argv.slice(2);
const store = await openStore({ dataDir: dataDir!, databaseUrl: databaseUrl || undefined });
const trail = new AuditTrail(store);
await sleep(Math.max(0, Number(startAt) - Date.now()));
await Promise.all(
  Array.from({ length: Number(count) }, (_, index) =>
    trail.record({ actor: actor!, action: 'test.append', target: { type: 'application', id: `app-${index % 3}` }, summary: { index } }),
  ),
);
await store.close();

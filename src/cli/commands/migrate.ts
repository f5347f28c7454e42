import { Command } from 'commander';
import { loadConfig } from '../../config/load.js';
import { openStore } from '../../store/open.js';
import { addStoreOptions } from '../options.js';

export function migrateCommand(): Command {
  return addStoreOptions(
    new Command('migrate').description('bring the store schema to this version and list the applied migrations'),
  ).action(async (flags: Record<string, unknown>) => {
    const config = loadConfig({ flags, env: process.env, cwd: process.cwd() });
    const store = await openStore({ dataDir: config.dataDir, databaseUrl: config.db.url?.reveal() });
    try {
      const applied = await store.appliedMigrations();
      process.stdout.write(`${store.engine} store at ${store.location}: ${applied.length} migrations applied\n`);
      for (const name of applied) process.stdout.write(`  ${name}\n`);
    } finally {
      await store.close();
    }
  });
}

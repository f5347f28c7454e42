import { Command } from 'commander';
import { loadConfig } from '../../config/load.js';
import { addListenOptions, addStoreOptions } from '../options.js';

export function configCommand(): Command {
  const command = new Command('config').description(
    'print the configuration as Gennaker resolves it (file < environment < flags), secrets redacted',
  );
  return addStoreOptions(addListenOptions(command)).action((flags: Record<string, unknown>) => {
    const config = loadConfig({ flags, env: process.env, cwd: process.cwd() });
    process.stdout.write(`${JSON.stringify(config, null, 2)}\n`);
  });
}

#!/usr/bin/env node
import { Command } from 'commander';
import { gennakerVersion } from '../app/version.js';
import { auditCommand } from './commands/audit.js';
import { configCommand } from './commands/config.js';
import { localCloudCommand } from './commands/localcloud.js';
import { migrateCommand } from './commands/migrate.js';
import { serveCommand } from './commands/serve.js';
import { validateCommand } from './commands/validate.js';
import { reportError } from './report-error.js';

const program = new Command('gennaker')
  .description('Gennaker: continuous delivery with durable pipelines, red/black and canary deployments')
  .version(gennakerVersion)
  .showHelpAfterError()
  .addCommand(serveCommand())
  .addCommand(migrateCommand())
  .addCommand(configCommand())
  .addCommand(validateCommand())
  .addCommand(localCloudCommand())
  .addCommand(auditCommand());

program.parseAsync(process.argv).catch((error: unknown) => {
  reportError(error);
  process.exit(1);
});

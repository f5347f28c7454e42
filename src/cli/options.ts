import { Option, type Command } from 'commander';
import { configSchema, logLevels } from '../config/schema.js';

/** Defaults shown in help come from the schema itself, so help cannot drift from behaviour. */
export const configDefaults = configSchema.parse({});

function withDefault(description: string, value: string): string {
  return `${description} (default: ${value})`;
}

export function addListenOptions(command: Command): Command {
  return command
    .addOption(
      new Option('--host <address>', withDefault('address to listen on; env GENNAKER_HOST', configDefaults.server.host)),
    )
    .addOption(
      new Option(
        '--port <number>',
        withDefault('port to listen on, 0 picks a free one; env GENNAKER_PORT', String(configDefaults.server.port)),
      ),
    );
}

/** Flags every command that touches the store shares; their names match src/config/keys.ts. */
export function addStoreOptions(command: Command): Command {
  return command
    .addOption(new Option('--config <file>', 'YAML or JSON configuration file; env GENNAKER_CONFIG'))
    .addOption(
      new Option(
        '--data <dir>',
        withDefault('data directory for the embedded SQLite store and local state; env GENNAKER_DATA', `./${configDefaults.dataDir}`),
      ),
    )
    .addOption(
      new Option(
        '--db <url>',
        'postgres://user:password@host:port/database: use PostgreSQL instead of the embedded SQLite store; env GENNAKER_DB',
      ),
    )
    .addOption(
      new Option('--log-level <level>', withDefault('log level; env GENNAKER_LOG_LEVEL', configDefaults.log.level)).choices(
        logLevels,
      ),
    );
}

import { Command, Option } from 'commander';
import { loadConfig } from '../../config/load.js';
import { GennakerError } from '../../core/errors.js';
import { configDefaults } from '../options.js';

function portFlag(value: string | undefined): number {
  if (value === undefined) return 0;
  const port = Number(value);
  if (!/^\d+$/.test(value) || port > 65535) {
    throw new GennakerError('GNK_E_CONFIG_INVALID', `--port: expected a port number from 0 to 65535, got ${value}`, [
      { path: 'port', source: '--port', expected: 'a port number from 0 to 65535' },
    ]);
  }
  return port;
}

export function localCloudCommand(): Command {
  return new Command('localcloud')
    .description(
      'run the local-cloud daemon: instances as OS processes behind HTTP load balancers, with its own HTTP API (serve starts it when needed)',
    )
    .addOption(new Option('--config <file>', 'YAML or JSON configuration file (its localCloud section); env GENNAKER_CONFIG'))
    .addOption(new Option('--data <dir>', `data directory; the daemon keeps its state in <dir>/localcloud (default: ./${configDefaults.dataDir})`))
    .addOption(new Option('--host <address>', 'address the API and the load balancers listen on (default: 127.0.0.1)'))
    .addOption(new Option('--port <number>', 'port of the API, 0 picks a free one; daemon.json tells the URL (default: 0)'))
    .addOption(new Option('--log-level <level>', `log level (default: ${configDefaults.log.level})`))
    .action(async (flags: { config?: string; data?: string; host?: string; port?: string; logLevel?: string }) => {
      const [{ createLogger }, { startLocalCloudDaemon }, { gennakerVersion }] = await Promise.all([
        import('../../log/logger.js'),
        import('../../localcloud/index.js'),
        import('../../app/version.js'),
      ]);
      const port = portFlag(flags.port);
      // --host and --port are the daemon's own, not the control plane's server settings.
      const config = loadConfig({ flags: { config: flags.config, data: flags.data, logLevel: flags.logLevel }, env: process.env, cwd: process.cwd() });
      const logger = createLogger(config.log.level);
      const running = await startLocalCloudDaemon({ config, version: gennakerVersion, logger, host: flags.host ?? '127.0.0.1', port, cwd: process.cwd() });
      const stop = async (signal: string): Promise<void> => {
        logger.info({ signal }, 'stopping the local cloud');
        await running.stop();
        process.exit(0);
      };
      process.once('SIGINT', (signal) => void stop(signal));
      process.once('SIGTERM', (signal) => void stop(signal));
    });
}

import { resolve } from 'node:path';
import { Command, Option } from 'commander';
import { configFileEnv } from '../../config/keys.js';
import { loadConfig } from '../../config/load.js';
import { addListenOptions, addStoreOptions, configDefaults } from '../options.js';

const insecureNoAuthWarning =
  '\nWARNING: --insecure-no-auth: authentication is OFF. Anyone who can reach this server is an administrator.\n\n';

function banner(url: string, initialAdminPasswordFile: string | undefined): string {
  const login =
    initialAdminPasswordFile === undefined
      ? ''
      : `Log in as admin with the password in ${initialAdminPasswordFile}:\n` +
        `  curl -c cookies -H 'content-type: application/json' -d "{\\"username\\":\\"admin\\",\\"password\\":\\"$(cat ${initialAdminPasswordFile})\\"}" ${url}/api/auth/login\n` +
        `  curl -b cookies ${url}/api/auth/me\n`;
  return `\nGennaker is up: ${url}  (try: curl ${url}/health)\n${login}\n`;
}

export function serveCommand(): Command {
  const command = new Command('serve')
    .description('run the Gennaker server: API, engine and store, in this process')
    .addOption(new Option('--demo', 'seed the demo application shown in the README tour'))
    .addOption(
      new Option(
        '--local-cloud <on|off>',
        `use the local cloud, starting its daemon (gennaker localcloud) when none runs for the data directory; env GENNAKER_LOCAL_CLOUD (default: ${configDefaults.localCloud.enabled ? 'on' : 'off'})`,
      ).choices(['on', 'off', 'true', 'false']),
    )
    .addOption(
      new Option(
        '--insecure-no-auth',
        'turn authentication and permission checks off: every caller is an administrator; for local experiments only',
      ),
    )
    .addOption(
      new Option(
        '--node-id <name>',
        `this process's name when several share one database; a restart under the same name resumes its work at once; env GENNAKER_NODE_ID (default: ${configDefaults.engine.nodeId})`,
      ),
    );
  return addStoreOptions(addListenOptions(command)).action(async (flags: Record<string, unknown>) => {
    const [{ createLogger }, { startGennaker }] = await Promise.all([
      import('../../log/logger.js'),
      import('../../app/gennaker.js'),
    ]);
    const config = loadConfig({ flags, env: process.env, cwd: process.cwd() });
    const logger = createLogger(config.log.level);
    const configFileFlag = (flags['config'] as string | undefined) ?? process.env[configFileEnv];
    const configFile = configFileFlag === undefined ? undefined : resolve(process.cwd(), configFileFlag);
    if (!config.auth.enabled) process.stderr.write(insecureNoAuthWarning);
    const running = await startGennaker(config, logger, { configFile });
    if (config.demo || running.initialAdmin?.createdNow === true) {
      process.stdout.write(banner(running.url, running.initialAdmin?.passwordFile));
    }
    const stop = async (signal: string): Promise<void> => {
      logger.info({ signal }, 'stopping');
      await running.stop();
      process.exit(0);
    };
    process.once('SIGINT', (signal) => void stop(signal));
    process.once('SIGTERM', (signal) => void stop(signal));
  });
}

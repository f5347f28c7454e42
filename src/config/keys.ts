/**
 * Every setting that can come from the environment or a command-line flag, in one table, so the
 * loader, the help text and the docs cannot disagree.
 */
export interface ConfigKey {
  readonly path: readonly string[];
  readonly env?: string;
  /** commander's camel-cased option name */
  readonly flag?: string;
  /** The flag switches the (boolean) setting off, e.g. `--insecure-no-auth` sets `auth.enabled` to false. */
  readonly flagNegates?: boolean;
}

export const configKeys: readonly ConfigKey[] = [
  { path: ['server', 'host'], env: 'GENNAKER_HOST', flag: 'host' },
  { path: ['server', 'port'], env: 'GENNAKER_PORT', flag: 'port' },
  { path: ['dataDir'], env: 'GENNAKER_DATA', flag: 'data' },
  { path: ['db', 'url'], env: 'GENNAKER_DB', flag: 'db' },
  { path: ['log', 'level'], env: 'GENNAKER_LOG_LEVEL', flag: 'logLevel' },
  { path: ['engine', 'nodeId'], env: 'GENNAKER_NODE_ID', flag: 'nodeId' },
  { path: ['localCloud', 'enabled'], env: 'GENNAKER_LOCAL_CLOUD', flag: 'localCloud' },
  { path: ['demo'], flag: 'demo' },
  { path: ['auth', 'enabled'], flag: 'insecureNoAuth', flagNegates: true },
];

export const configFileEnv = 'GENNAKER_CONFIG';

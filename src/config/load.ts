import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { resolve } from 'node:path';
import { GennakerError } from '../core/errors.js';
import { configFileEnv } from './keys.js';
import { envLayer, flagLayer, resolveConfig, type ConfigLayer } from './layers.js';
import type { Config } from './schema.js';

// The YAML parser is loaded only when a file is given: most starts have none, and start-up time counts.
const require = createRequire(import.meta.url);

function fileLayer(path: string): ConfigLayer {
  let values: unknown;
  try {
    const { parse: parseYaml } = require('yaml') as typeof import('yaml');
    values = parseYaml(readFileSync(path, 'utf8'));
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new GennakerError('GNK_E_CONFIG_FILE_UNREADABLE', `${path}: ${reason}`, [{ source: path }], {
      cause: error,
    });
  }
  if (values === null || values === undefined) return { source: path, values: {} };
  if (typeof values !== 'object' || Array.isArray(values)) {
    throw new GennakerError('GNK_E_CONFIG_FILE_UNREADABLE', `${path}: expected a mapping at the top level`, [
      { source: path, expected: 'a YAML or JSON mapping' },
    ]);
  }
  return { source: path, values: values as Record<string, unknown> };
}

export interface ConfigSources {
  readonly flags: Readonly<Record<string, unknown>>;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly cwd: string;
}

/**
 * Reads the configuration once: defaults < file (--config or GENNAKER_CONFIG) < environment < flags.
 * The data directory comes back absolute so nothing later depends on the working directory.
 */
export function loadConfig({ flags, env, cwd }: ConfigSources): Config {
  const filePath = (flags['config'] as string | undefined) ?? env[configFileEnv];
  const layers = [
    ...(filePath ? [fileLayer(resolve(cwd, filePath))] : []),
    envLayer(env),
    flagLayer(flags),
  ];
  const config = resolveConfig(layers);
  return { ...config, dataDir: resolve(cwd, config.dataDir) };
}

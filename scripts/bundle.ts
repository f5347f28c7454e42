import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';

/**
 * Bundles the compiled CLI into one ES module, dist/gennaker.mjs, the file `gennaker` and `npm start`
 * run. One file loads in about half the time of some thousand modules, and start-up time is a goal.
 * Left outside: the native SQLite binding, `pg` and `yaml` (loaded only when PostgreSQL or a config
 * file is used).
 */
const root = fileURLToPath(new URL('../..', import.meta.url));

await build({
  absWorkingDir: root,
  entryPoints: ['dist/src/cli/main.js'],
  outfile: 'dist/gennaker.mjs',
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  external: ['better-sqlite3', 'pg', 'yaml', '@fastify/swagger-ui'],
  // Bundled CommonJS dependencies call require(); an ES module has none until we make one.
  banner: { js: "import { createRequire as createRequireForBundle } from 'node:module'; const require = createRequireForBundle(import.meta.url);" },
  logLevel: 'warning',
});

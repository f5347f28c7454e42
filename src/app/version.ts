import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The nearest package.json above this module: dist/src/app in a build, dist/ in the bundle. */
function packageJsonPath(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error('package.json not found above the Gennaker installation');
    dir = parent;
  }
  return join(dir, 'package.json');
}

/** The version in package.json, read once. */
export const gennakerVersion: string = (JSON.parse(readFileSync(packageJsonPath(), 'utf8')) as { version: string }).version;

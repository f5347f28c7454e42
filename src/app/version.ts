import { readFileSync } from 'node:fs';

/** The version in package.json; read once, from the installed tree (dist/src/app → repository root). */
export const gennakerVersion: string = (
  JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string }
).version;

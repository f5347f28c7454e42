import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/**
 * `npm run bench -- NAME` runs bench/NAME.ts. A bench prints what it likes while running and returns
 * its figures; the runner prints them as one JSON object on the last line, for BENCHMARKS.md and CI logs.
 */
interface BenchModule {
  run(args: readonly string[]): Promise<Record<string, unknown>>;
}

const benchDir = fileURLToPath(new URL('.', import.meta.url));
const available = readdirSync(benchDir)
  .filter((name) => name.endsWith('.js') && name !== 'run.js')
  .map((name) => name.replace(/\.js$/, ''))
  .sort();

const [name, ...args] = process.argv.slice(2);
if (!name || !available.includes(name)) {
  console.error(`usage: npm run bench -- NAME [args]\navailable benches: ${available.join(', ')}`);
  process.exit(name ? 1 : 0);
}
const bench = (await import(`./${name}.js`)) as BenchModule;
const result = await bench.run(args);
console.log(JSON.stringify(result));

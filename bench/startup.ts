import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { freePort } from '../test/support/free-port.js';
import { percentile, round } from './support/stats.js';

const cli = fileURLToPath(new URL('../gennaker.mjs', import.meta.url));

async function healthy(url: string): Promise<boolean> {
  try {
    return (await fetch(url)).status === 200;
  } catch {
    return false;
  }
}

function rssMiB(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kib = Number(/^VmRSS:\s+(\d+)\s+kB/m.exec(status)?.[1]);
  return kib / 1024;
}

/**
 * Starts `gennaker serve --demo` (what `npm start` runs) on a new data directory, times the first
 * 200 from /health after the process is spawned, then reads the resident set after it has idled.
 */
async function oneStart(idleMs: number): Promise<{ readyMs: number; rssMiB: number }> {
  const dataDir = mkdtempSync(join(tmpdir(), 'gennaker-bench-startup-'));
  const port = await freePort();
  const url = `http://127.0.0.1:${port}/health`;
  const started = performance.now();
  const child = spawn(process.execPath, [cli, 'serve', '--demo', '--port', String(port), '--data', dataDir], {
    stdio: 'ignore',
  });
  try {
    const deadline = started + 10_000;
    while (!(await healthy(url))) {
      if (performance.now() > deadline) throw new Error('server did not become healthy within 10 s');
      await sleep(2);
    }
    const readyMs = performance.now() - started;
    await sleep(idleMs);
    return { readyMs, rssMiB: rssMiB(child.pid!) };
  } finally {
    child.kill('SIGTERM');
    await new Promise((resolveExit) => child.once('exit', resolveExit));
    rmSync(dataDir, { recursive: true, force: true });
  }
}

export async function run(args: readonly string[]): Promise<Record<string, unknown>> {
  const runs = Number(args[0] ?? 10);
  const idleMs = 3_000;
  const samples = [];
  for (let i = 0; i < runs; i++) {
    const sample = await oneStart(idleMs);
    console.log(`run ${i + 1}/${runs}: ready in ${round(sample.readyMs)} ms, idle RSS ${round(sample.rssMiB)} MiB`);
    samples.push(sample);
  }
  const ready = samples.map((s) => s.readyMs);
  const rss = samples.map((s) => s.rssMiB);
  return {
    bench: 'startup',
    runs,
    timeToReadyP50Ms: round(percentile(ready, 50)),
    timeToReadyMaxMs: round(Math.max(...ready)),
    idleRssP50MiB: round(percentile(rss, 50)),
    idleRssMaxMiB: round(Math.max(...rss)),
  };
}

import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { LoadReport, LoadSpec } from './load-spec.js';

const pacedLoad = fileURLToPath(new URL('./paced-load.js', import.meta.url));

/**
 * Runs the open-loop generator (paced-load.ts) in its own process and returns its report. The spec goes
 * in on stdin: a mix with many variants is larger than one command-line argument may be.
 */
export function runPacedLoad(spec: LoadSpec): Promise<LoadReport> {
  return new Promise((resolveReport, reject) => {
    const child = spawn(process.execPath, [pacedLoad], { stdio: ['pipe', 'pipe', 'inherit'] });
    const timer = setTimeout(() => child.kill('SIGKILL'), spec.durationMs + 60_000);
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.once('error', reject);
    child.once('exit', (code) => {
      clearTimeout(timer);
      if (code === 0) resolveReport(JSON.parse(stdout) as LoadReport);
      else reject(new Error(`the load generator exited with ${String(code)}`));
    });
    child.stdin.end(JSON.stringify(spec));
  });
}

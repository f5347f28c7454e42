import { spawn } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { helloServerGroup, startDeployHarness } from '../test/support/deploy-harness.js';
import { freePort } from '../test/support/free-port.js';
import { helloServiceDir } from '../test/support/localcloud.js';
import { failures, steadyLoad } from '../test/support/steady-load.js';
import { percentile, round } from './support/stats.js';

const healthCheck = { path: '/health', intervalMs: 50, timeoutMs: 1000, healthyThreshold: 1, unhealthyThreshold: 2 };

/** The demo service's own start-to-healthy time: spawn it directly and probe /health every 5 ms (bounded). */
async function serviceStartMs(): Promise<number> {
  const port = await freePort();
  const started = performance.now();
  const child = spawn(process.execPath, ['server.js'], { cwd: helloServiceDir, env: { ...process.env, PORT: String(port) }, stdio: 'ignore' });
  try {
    while (performance.now() - started < 10_000) {
      try {
        if ((await fetch(`http://127.0.0.1:${port}/health`)).status === 200) return performance.now() - started;
      } catch {
        // not listening yet
      }
      await sleep(5);
    }
    throw new Error('the demo service did not become healthy within 10 s');
  } finally {
    child.kill('SIGKILL');
  }
}

/**
 * `npm run bench -- deploy [runs]`: red/black deploys of the demo service (2 instances) behind a balancer
 * under 250 req/s; the overhead is each deploy's wall time minus the service's own start-to-healthy time.
 */
export async function run(args: readonly string[]): Promise<Record<string, unknown>> {
  const runs = Number(args[0] ?? 10);
  const harness = await startDeployHarness();
  try {
    const url = await harness.balancer('bench-lb');
    const deploy = (version: string) =>
      harness.orchestrate('hello', [helloServerGroup(version, { stack: 'bench', loadBalancers: ['bench-lb'], strategy: 'redblack', healthCheck, maxRemainingAsgs: 2 })], `bench ${version}`);
    if ((await deploy('0.0.0')).execution.status !== 'SUCCEEDED') throw new Error('the first deploy failed');
    const load = steadyLoad(url, 250, runs * 30);
    const deployMs: number[] = [];
    const startMs: number[] = [];
    for (let index = 1; index <= runs; index += 1) {
      startMs.push(await serviceStartMs());
      const started = performance.now();
      const done = await deploy(`1.0.${index}`);
      deployMs.push(performance.now() - started);
      if (done.execution.status !== 'SUCCEEDED') throw new Error(`deploy ${index} ended ${done.execution.status}`);
    }
    const answers = await load.stop();
    const serviceP50 = percentile(startMs, 50);
    const overheads = deployMs.map((ms) => ms - serviceP50);
    console.log(`red/black deploys: p50 ${round(percentile(deployMs, 50))} ms; service start-to-healthy p50 ${round(serviceP50)} ms; ${answers.length} requests`);
    return {
      runs,
      redblackDeployP50Ms: round(percentile(deployMs, 50)),
      serviceStartP50Ms: round(serviceP50),
      redblackOverheadP50Ms: round(percentile(overheads, 50)),
      requests: answers.length,
      requestsPerSec: round(answers.length / (load.elapsed() / 1000), 0),
      failedRequests: failures(answers).length,
    };
  } finally {
    await harness.stop();
  }
}

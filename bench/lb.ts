import { loadavg } from 'node:os';
import { Agent, request } from 'node:http';
import { performance } from 'node:perf_hooks';
import { helloLaunch, startLocalCloud, upCount, type LocalCloudUnderTest } from '../test/support/localcloud.js';
import { runPacedLoad } from './support/run-paced-load.js';
import type { LoadSpec } from './support/load-spec.js';
import { percentile, round } from './support/stats.js';

const where = { account: 'local', region: 'us-east' } as const;

interface LoadRun {
  readonly sent: number;
  readonly completed: number;
  readonly errors: number;
  readonly non2xx: number;
  readonly achievedRps: number;
  readonly latencies: number[];
}

async function load(url: string, rate: number, durationMs: number): Promise<LoadRun> {
  const spec: LoadSpec = { rate, durationMs, connections: 64, requests: [{ name: 'get', weight: 1, variants: [{ method: 'GET', path: url }] }] };
  return runPacedLoad(spec);
}

function merge(runs: readonly LoadRun[]): LoadRun {
  return {
    sent: runs.reduce((sum, run) => sum + run.sent, 0),
    completed: runs.reduce((sum, run) => sum + run.completed, 0),
    errors: runs.reduce((sum, run) => sum + run.errors, 0),
    non2xx: runs.reduce((sum, run) => sum + run.non2xx, 0),
    achievedRps: runs.reduce((sum, run) => sum + run.achievedRps, 0) / runs.length,
    latencies: runs.flatMap((run) => run.latencies),
  };
}

function summary(name: string, run: LoadRun): { p50: number; p99: number } {
  const p50 = percentile(run.latencies, 50);
  const p99 = percentile(run.latencies, 99);
  console.log(
    `${name}: ${run.completed}/${run.sent} ok, ${run.errors} errors, ${run.non2xx} non-2xx, ${round(run.achievedRps)} req/s sent, p50 ${round(p50, 2)} ms, p99 ${round(p99, 2)} ms`,
  );
  return { p50, p99 };
}

function get(agent: Agent, url: string): Promise<string> {
  return new Promise((resolveGet, reject) => {
    const outgoing = request(url, { agent }, (response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (body += chunk));
      response.once('end', () => resolveGet(body));
    });
    outgoing.once('error', reject);
    outgoing.end();
  });
}

/**
 * Time from requesting a weight flip (0/100 → 100/0) to the first response from the newly weighted group,
 * while a probe sends requests back to back through the balancer.
 */
async function weightFlipMs(cloud: LocalCloudUnderTest, lbUrl: string, to: string, from: string): Promise<number> {
  const agent = new Agent({ keepAlive: true, maxSockets: 4 });
  try {
    const started = performance.now();
    const applied = cloud.succeed({ type: 'setTrafficWeights', ...where, loadBalancer: 'bench-lb', weights: { [to]: 100, [from]: 0 } });
    for (let i = 0; i < 10_000; i++) {
      const { serverGroup } = JSON.parse(await get(agent, lbUrl)) as { serverGroup: string };
      if (serverGroup === to) {
        const ack = performance.now() - started;
        await applied;
        return ack;
      }
    }
    throw new Error(`no response from ${to} after 10,000 requests`);
  } finally {
    agent.destroy();
  }
}

async function deploy(cloud: LocalCloudUnderTest, version: string): Promise<{ name: string; address: string }> {
  const { serverGroup } = await cloud.succeed({
    type: 'createServerGroup',
    ...where,
    application: 'bench',
    capacity: { min: 1, max: 1, desired: 1 },
    launch: helloLaunch(version),
    loadBalancers: ['bench-lb'],
  });
  const up = await cloud.waitForGroup(serverGroup!.name, (group) => upCount(group) === 1, 'an Up instance');
  return { name: up.name, address: up.instances[0]!.address };
}

/**
 * `npm run bench -- lb [rate] [seconds]`: the same paced load (default 1,000 req/s for 10 s each) straight to an
 * instance and through the builtin balancer in front of that one instance, in alternating 2 s slices; then 20
 * weight flips.
 */
export async function run(args: readonly string[]): Promise<Record<string, unknown>> {
  const rate = Number(args[0] ?? 1000);
  const durationMs = Number(args[1] ?? 10) * 1000;
  const cloud = await startLocalCloud();
  try {
    const { loadBalancer } = await cloud.succeed({ type: 'upsertLoadBalancer', ...where, name: 'bench-lb' });
    const lbUrl = `http://${loadBalancer!.address}/`;
    const first = await deploy(cloud, '1.0.0');
    const directUrl = `http://${first.address}/`;
    console.log(`load average before: ${loadavg().map((value) => round(value, 2)).join(' ')}`);
    await load(directUrl, rate, 1_000);
    await load(lbUrl, rate, 1_000);
    // Alternating 2 s slices, so both paths see the same (shared, busy) machine.
    const slices = Math.max(1, Math.round(durationMs / 2_000));
    const directRuns: LoadRun[] = [];
    const proxyRuns: LoadRun[] = [];
    for (let i = 0; i < slices; i++) {
      directRuns.push(await load(directUrl, rate, 2_000));
      proxyRuns.push(await load(lbUrl, rate, 2_000));
    }
    const direct = summary('direct', merge(directRuns));
    const proxyRun = merge(proxyRuns);
    const proxy = summary('proxy', proxyRun);

    const second = await deploy(cloud, '2.0.0');
    await cloud.succeed({ type: 'setTrafficWeights', ...where, loadBalancer: 'bench-lb', weights: { [first.name]: 100, [second.name]: 0 } });
    const flips: number[] = [];
    for (let i = 0; i < 20; i++) {
      const [to, from] = i % 2 === 0 ? [second.name, first.name] : [first.name, second.name];
      flips.push(await weightFlipMs(cloud, lbUrl, to, from));
    }
    console.log(`weight flips (ms): ${flips.map((ms) => round(ms, 2)).join(', ')}`);
    const load1 = round(loadavg()[0]!, 2);
    console.log(`load average after: ${loadavg().map((value) => round(value, 2)).join(' ')}`);
    return {
      bench: 'lb',
      rps: round(proxyRun.achievedRps),
      proxyP50Ms: round(proxy.p50, 2),
      proxyP99Ms: round(proxy.p99, 2),
      directP50Ms: round(direct.p50, 2),
      directP99Ms: round(direct.p99, 2),
      proxyFailures: proxyRun.errors + proxyRun.non2xx,
      weightAckMs: round(percentile(flips, 50), 2),
      weightAckMaxMs: round(Math.max(...flips), 2),
      loadAverage1m: load1,
    };
  } finally {
    await cloud.stop();
  }
}

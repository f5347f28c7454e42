import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { serverGroupName, type ResourceChange, type ServerGroup } from '../src/core/cloud/index.js';
import { initialAdminPasswordFileName, initialAdminUser } from '../src/app/initial-admin.js';
import { openStore } from '../src/store/open.js';
import { freePort } from '../test/support/free-port.js';
import type { LoadRequest, LoadSpec } from './support/load-spec.js';
import { runPacedLoad } from './support/run-paced-load.js';
import { percentile, round } from './support/stats.js';

const cli = fileURLToPath(new URL('../gennaker.mjs', import.meta.url));

const applicationCount = 100;
const clustersPerApplication = 10;
const versionsPerCluster = 10;
const regions = ['us-east', 'eu-west'] as const;
const pipelinesPerApplication = 2;

/**
 * `serve` as the bench runs it: authentication on as shipped (every request carries an administrator's
 * API token, so each one is authenticated and authorised). The local cloud is off: the inventory is
 * seeded into the store (see seedStore).
 */
const serveArgs = ['serve', '--local-cloud', 'off', '--log-level', 'warn'];

interface BenchContext {
  readonly applications: readonly string[];
  readonly serverGroups: readonly ServerGroup[];
  readonly pipelines: readonly { id: string; application: string; name: string }[];
}

type Variant = LoadRequest['variants'][number];

/**
 * The request mix, as a table: one row per kind of request, its share of the load (weight), whether it
 * reads or writes, and the route it needs as the OpenAPI document names it. A row runs only when
 * /api/openapi.json lists its method and route, so rows for routes not merged yet are skipped (and
 * reported as skipped) rather than measured as 404s. Paths of rows for routes that are not on main yet
 * are the names expected from the routes branch; when merging, check them against the OpenAPI document
 * and add rows for new routes (freezes: create and lift) here.
 */
interface MixRow {
  readonly name: string;
  readonly kind: 'read' | 'write';
  readonly weight: number;
  readonly method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  readonly route: string;
  /** `run` names the load run (warm-up or measured), for writes that must not repeat a name across runs. */
  variants(context: BenchContext, run: string): Variant[];
}

const sampleOf = <T>(values: readonly T[], count: number): T[] => Array.from({ length: count }, (_, index) => values[Math.floor((index * values.length) / count)]!);

/**
 * What a UI and its automation ask of the API. Bulk exports (GET /api/inventory, every server group as
 * several MB of JSON) are left out: one blocks the server for some 50 ms, so at one a second they set the
 * p99 of every other read; they are not what the read target is about.
 */
const mix: readonly MixRow[] = [
  { name: 'health', kind: 'read', weight: 5, method: 'GET', route: '/health', variants: () => [{ method: 'GET', path: '/health' }] },
  { name: 'applications', kind: 'read', weight: 5, method: 'GET', route: '/api/applications', variants: () => [{ method: 'GET', path: '/api/applications' }] },
  {
    name: 'one application',
    kind: 'read',
    weight: 10,
    method: 'GET',
    route: '/api/applications/{application}',
    variants: ({ applications }) => sampleOf(applications, 50).map((name) => ({ method: 'GET', path: `/api/applications/${name}` })),
  },
  {
    name: 'server groups of an application',
    kind: 'read',
    weight: 30,
    method: 'GET',
    route: '/api/applications/{application}/serverGroups',
    variants: ({ applications }) => sampleOf(applications, 50).map((name) => ({ method: 'GET', path: `/api/applications/${name}/serverGroups` })),
  },
  {
    name: 'one server group',
    kind: 'read',
    weight: 20,
    method: 'GET',
    route: '/api/applications/{application}/serverGroups/{account}/{region}/{name}',
    variants: ({ serverGroups }) =>
      sampleOf(serverGroups, 50).map((group) => ({ method: 'GET', path: `/api/applications/${group.application}/serverGroups/${group.account}/${group.region}/${group.name}` })),
  },
  {
    name: 'executions of an application',
    kind: 'read',
    weight: 10,
    method: 'GET',
    route: '/api/executions',
    variants: ({ applications }) => sampleOf(applications, 50).map((name) => ({ method: 'GET', path: `/api/executions?application=${name}` })),
  },
  {
    name: 'pipeline create',
    kind: 'write',
    weight: 3,
    method: 'POST',
    route: '/api/applications/{application}/pipelines',
    // Pipeline names are unique per application: more variants than a run sends, named after the run.
    variants: ({ applications }, run) =>
      sampleOf(applications, 1_000).map((application, index) => ({
        method: 'POST',
        path: `/api/applications/${application}/pipelines`,
        body: { application, name: `created by the bench (${run} ${index})`, stages: [{ refId: '1', type: 'wait', name: 'pause', waitTime: 1 }] },
      })),
  },
  {
    name: 'pipeline save',
    kind: 'write',
    weight: 5,
    method: 'PUT',
    route: '/api/pipelines/{id}',
    variants: ({ pipelines }) =>
      sampleOf(pipelines, 50).map((pipeline, index) => ({
        method: 'PUT',
        path: `/api/pipelines/${pipeline.id}`,
        body: { ...pipelineBody(pipeline), description: `saved by the bench (${index})` },
      })),
  },
];

function pipelineBody(pipeline: { id: string; application: string; name: string }): Record<string, unknown> {
  return { id: pipeline.id, application: pipeline.application, name: pipeline.name, stages: [{ refId: '1', type: 'wait', name: 'pause', waitTime: 1 }] };
}

function benchServerGroups(): ServerGroup[] {
  const groups: ServerGroup[] = [];
  for (let app = 0; app < applicationCount; app++) {
    const application = `bench${String(app).padStart(3, '0')}`;
    for (let cluster = 0; cluster < clustersPerApplication; cluster++) {
      const clusterName = `${application}-stack${cluster}`;
      for (let version = 0; version < versionsPerCluster; version++) {
        groups.push({
          account: 'local',
          region: regions[(app + cluster) % regions.length]!,
          name: serverGroupName(clusterName, version),
          cluster: clusterName,
          application,
          capacity: { min: 0, max: 0, desired: 0 },
          enabled: version === versionsPerCluster - 1,
          launch: {
            artifact: { name: 'hello', version: `1.0.${version}`, location: '/srv/artifacts/hello' },
            command: ['node', 'server.js'],
            env: { GREETING: 'bench' },
            healthCheck: { path: '/health', intervalMs: 1000, timeoutMs: 1000, healthyThreshold: 1, unhealthyThreshold: 2 },
          },
          loadBalancers: [`${application}-frontend`],
          instances: [],
          createdAt: 1_700_000_000_000 + version,
        });
      }
    }
  }
  return groups;
}

/**
 * The inventory goes into the store as the inventory writer keeps it (the same repository, one
 * transaction), and the server loads it at start as after any restart. Not through the local-cloud
 * daemon: it rewrites its whole state file on every operation, so creating 10,000 groups one operation
 * at a time is quadratic in the file size and would measure the daemon's persistence, not the API.
 */
async function seedStore(dataDir: string): Promise<BenchContext & { seedMs: number }> {
  const started = performance.now();
  const store = await openStore({ dataDir });
  const serverGroups = benchServerGroups();
  const applications = [...new Set(serverGroups.map((group) => group.application))];
  const pipelines = applications.flatMap((application) =>
    Array.from({ length: pipelinesPerApplication }, (_, index) => ({ id: `${application}-deploy-${index}`, application, name: `deploy ${index}` })),
  );
  try {
    const changes: ResourceChange[] = serverGroups.map((serverGroup) => ({ kind: 'serverGroupUpserted', serverGroup }));
    await store.transaction(async (tx) => {
      await tx.inventory.save(changes);
      for (const application of applications) await tx.applications.create(application, { email: `${application}@example.com`, owner: 'bench' });
      for (const pipeline of pipelines) await tx.pipelineConfigs.save({ ...pipeline, body: pipelineBody(pipeline) });
    });
  } finally {
    await store.close();
  }
  return { applications, serverGroups, pipelines, seedMs: performance.now() - started };
}

async function metric(url: string, name: string): Promise<number | undefined> {
  try {
    const text = await (await fetch(`${url}/metrics`)).text();
    const value = new RegExp(`^${name} (\\S+)$`, 'm').exec(text)?.[1];
    return value === undefined ? undefined : Number(value);
  } catch {
    return undefined;
  }
}

async function startServer(dataDir: string): Promise<{ child: ChildProcess; url: string; readyMs: number }> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const started = performance.now();
  const child = spawn(process.execPath, [cli, ...serveArgs, '--data', dataDir, '--port', String(port)], { stdio: ['ignore', 'ignore', 'inherit'] });
  const deadline = started + 60_000;
  while ((await metric(url, 'gennaker_inventory_server_groups')) !== applicationCount * clustersPerApplication * versionsPerCluster) {
    if (performance.now() > deadline || child.exitCode !== null) {
      child.kill('SIGKILL');
      throw new Error('the server did not serve the seeded inventory within 60 s');
    }
    await sleep(20);
  }
  return { child, url, readyMs: performance.now() - started };
}

/** Logs in as the first administrator (its password file in the data directory) and makes an API token. */
async function adminToken(url: string, dataDir: string): Promise<string> {
  const password = readFileSync(join(dataDir, initialAdminPasswordFileName), 'utf8').trim();
  const login = await fetch(`${url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: initialAdminUser, password }) });
  const cookie = /^(gennaker_session=[^;]+)/.exec(login.headers.get('set-cookie') ?? '')?.[1];
  if (cookie === undefined) throw new Error(`the bench could not log in: ${login.status} ${await login.text()}`);
  const created = await fetch(`${url}/api/tokens`, { method: 'POST', headers: { 'content-type': 'application/json', cookie }, body: JSON.stringify({ name: 'bench' }) });
  const { token } = (await created.json()) as { token?: string };
  if (token === undefined) throw new Error(`the bench could not create a token: ${created.status}`);
  return token;
}

async function openApiRoutes(url: string): Promise<Set<string>> {
  const document = (await (await fetch(`${url}/api/openapi.json`)).json()) as { paths: Record<string, Record<string, unknown>> };
  return new Set(Object.entries(document.paths).flatMap(([path, methods]) => Object.keys(methods).map((method) => `${method.toUpperCase()} ${path}`)));
}

const p = (values: readonly number[], rank: number): number | null => (values.length === 0 ? null : round(percentile(values, rank), 2));

/**
 * `npm run bench -- api [RATE] [SECONDS]`: Gennaker as a child process over an inventory of 10,000
 * server groups, under an open-loop mix of reads and writes at RATE requests/s (1,000) for SECONDS
 * (20) after a 3 s warm-up at the same rate.
 */
export async function run(args: readonly string[]): Promise<Record<string, unknown>> {
  const rate = Number(args[0] ?? 1000);
  const durationMs = Number(args[1] ?? 20) * 1000;
  const dataDir = mkdtempSync(join(tmpdir(), 'gennaker-bench-api-'));
  let server: ChildProcess | undefined;
  try {
    const context = await seedStore(dataDir);
    console.log(`seeded ${context.serverGroups.length} server groups, ${context.applications.length} applications, ${context.pipelines.length} pipelines in ${round(context.seedMs)} ms`);
    const started = await startServer(dataDir);
    server = started.child;
    console.log(`server ready with the whole inventory ${round(started.readyMs)} ms after spawning`);
    const available = await openApiRoutes(started.url);
    const active = mix.filter((row) => available.has(`${row.method} ${row.route}`));
    const skipped = mix.filter((row) => !active.includes(row)).map((row) => `${row.method} ${row.route}`);
    if (skipped.length > 0) console.log(`skipped (route not in the OpenAPI document): ${skipped.join(', ')}`);
    const requests = (run: string): LoadSpec['requests'] => active.map((row) => ({ name: row.name, weight: row.weight, variants: row.variants(context, run) }));
    const headers = { authorization: `Bearer ${await adminToken(started.url, dataDir)}` };
    const spec = { baseUrl: started.url, rate, connections: 64, headers };
    await runPacedLoad({ ...spec, requests: requests('warm-up'), durationMs: 3_000 });
    const loadBefore = loadavg()[0]!;
    const report = await runPacedLoad({ ...spec, requests: requests('measured'), durationMs });
    const latenciesOf = (kind: MixRow['kind']): number[] => active.filter((row) => row.kind === kind).flatMap((row) => report.byRequest[row.name]!.latencies);
    const reads = latenciesOf('read');
    const writes = latenciesOf('write');
    for (const row of active) {
      const outcome = report.byRequest[row.name]!;
      console.log(`${row.kind} ${row.name}: ${outcome.completed}/${outcome.sent} ok, ${outcome.non2xx} non-2xx, ${outcome.errors} errors, p50 ${p(outcome.latencies, 50)} ms, p99 ${p(outcome.latencies, 99)} ms`);
    }
    return {
      bench: 'api',
      serverGroups: context.serverGroups.length,
      seedMs: round(context.seedMs),
      readyMs: round(started.readyMs),
      offeredRps: rate,
      rps: round(report.achievedRps),
      durationMs,
      sent: report.sent,
      completed: report.completed,
      non2xx: report.non2xx,
      errors: report.errors,
      readP50Ms: p(reads, 50),
      readP99Ms: p(reads, 99),
      writeP50Ms: p(writes, 50),
      writeP99Ms: p(writes, 99),
      rows: active.map((row) => row.name),
      skippedRows: skipped,
      machine: `${cpus().length} cores, ${round(totalmem() / 2 ** 30)} GiB, Node ${process.versions.node}`,
      loadAverageAtStart: round(loadBefore, 2),
      auth: 'an administrator API token on every request',
    };
  } finally {
    if (server && server.exitCode === null) {
      const exited = new Promise((resolveExit) => server!.once('exit', resolveExit));
      server.kill('SIGTERM');
      await exited;
    }
    rmSync(dataDir, { recursive: true, force: true });
  }
}

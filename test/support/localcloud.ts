import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { daemonAnnouncementSchema, type CloudOperationInput, type LaunchSpec, type OperationStatus, type RegionSnapshot, type ServerGroup } from '../../src/core/cloud/index.js';
import { cliPath, startServer, type RunningServer } from './cli.js';

/** The demo service's source directory (not compiled: it is plain JavaScript). */
export const helloServiceDir = fileURLToPath(new URL('../../../examples/hello-service', import.meta.url));

export function helloLaunch(version = '1.0.0', env: Record<string, string> = {}, location = helloServiceDir): LaunchSpec {
  return {
    artifact: { name: 'hello', version, location },
    command: ['node', 'server.js'],
    env,
    healthCheck: { path: '/health', intervalMs: 100, timeoutMs: 1000, healthyThreshold: 1, unhealthyThreshold: 2 },
  };
}

export interface LocalCloudUnderTest {
  readonly url: string;
  readonly dataDir: string;
  readonly child: ChildProcess;
  post(path: string, body: unknown): Promise<{ status: number; body: unknown }>;
  apply(operation: CloudOperationInput, clientToken?: string): Promise<OperationStatus>;
  /** Applies and insists on success. */
  succeed(operation: CloudOperationInput, clientToken?: string): Promise<Extract<OperationStatus, { state: 'succeeded' }>>;
  describe(account?: string, region?: string): Promise<RegionSnapshot>;
  /** Describes until `predicate` holds (bounded), then returns that snapshot's group. */
  waitForGroup(name: string, predicate: (group: ServerGroup) => boolean, what: string, region?: string): Promise<ServerGroup>;
  /** SIGTERM, wait for exit; SIGKILL and kill recorded instances if it does not stop. */
  stop(): Promise<void>;
}

let tokens = 0;

function readUrl(dataDir: string): string | undefined {
  const path = join(dataDir, 'localcloud', 'daemon.json');
  if (!existsSync(path)) return undefined;
  try {
    return (JSON.parse(readFileSync(path, 'utf8')) as { url: string }).url;
  } catch {
    return undefined;
  }
}

/** Kills the process groups of instances a daemon recorded, in case it died without stopping them. */
export function killRecordedInstances(dataDir: string): void {
  const statePath = join(dataDir, 'localcloud', 'state.json');
  if (!existsSync(statePath)) return;
  const state = JSON.parse(readFileSync(statePath, 'utf8')) as { instancePids: Record<string, number> };
  for (const pid of Object.values(state.instancePids)) {
    try {
      process.kill(-pid, 'SIGKILL');
    } catch {
      // gone already
    }
  }
}

/**
 * For an `after` hook of tests that run `serve` on a data directory: kills the servers, the local-cloud daemon
 * they started (its process group, from its announcement) and its instances, then removes the directory.
 */
export function killServedCloud(dataDir: string, servers: readonly RunningServer[]): void {
  for (const server of servers) server.child.kill('SIGKILL');
  try {
    const { pid } = daemonAnnouncementSchema.parse(JSON.parse(readFileSync(join(dataDir, 'localcloud', 'daemon.json'), 'utf8')));
    process.kill(-pid, 'SIGKILL');
  } catch {
    // no daemon was started, or it is gone already
  }
  killRecordedInstances(dataDir);
  rmSync(dataDir, { recursive: true, force: true });
}

/**
 * Runs `gennaker localcloud` (the bundle) on a data directory and waits for its announcement. A config
 * file is written when `config` is given.
 */
export async function startLocalCloud(options: { dataDir?: string; config?: unknown } = {}): Promise<LocalCloudUnderTest> {
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'gennaker-localcloud-'));
  rmSync(join(dataDir, 'localcloud', 'daemon.json'), { force: true });
  const args = [cliPath, 'localcloud', '--data', dataDir, '--port', '0', '--log-level', 'warn'];
  if (options.config !== undefined) {
    const configPath = join(dataDir, 'config.json');
    writeFileSync(configPath, JSON.stringify(options.config));
    args.push('--config', configPath);
  }
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<void>((resolveExit) => child.once('exit', () => resolveExit()));
  let url: string | undefined;
  const deadline = Date.now() + 20_000;
  while (!(url = readUrl(dataDir))) {
    if (child.exitCode !== null || Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`local cloud did not start:\n${output}`);
    }
    await sleep(20);
  }
  const base = url;

  async function post(path: string, body: unknown): Promise<{ status: number; body: unknown }> {
    const response = await fetch(`${base}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : undefined };
  }

  async function apply(operation: CloudOperationInput, clientToken = `token-${process.pid}-${++tokens}`): Promise<OperationStatus> {
    const { status, body } = await post('/v1/operations', { clientToken, operation });
    if (status !== 200) throw new Error(`operation answered ${status}: ${JSON.stringify(body)}`);
    return body as OperationStatus;
  }

  async function describe(account = 'local', region = 'us-east'): Promise<RegionSnapshot> {
    const response = await fetch(`${base}/v1/accounts/${account}/regions/${region}`);
    return (await response.json()) as RegionSnapshot;
  }

  return {
    url: base,
    dataDir,
    child,
    post,
    apply,
    async succeed(operation, clientToken) {
      const status = await apply(operation, clientToken);
      if (status.state !== 'succeeded') throw new Error(`operation ${operation.type} did not succeed: ${JSON.stringify(status)}`);
      return status;
    },
    describe,
    async waitForGroup(name, predicate, what, region = 'us-east') {
      const until = Date.now() + 30_000;
      let last: ServerGroup | undefined;
      while (Date.now() < until) {
        last = (await describe('local', region)).serverGroups.find((group) => group.name === name);
        if (last && predicate(last)) return last;
        await sleep(50);
      }
      throw new Error(`server group ${name} never got ${what}; last seen: ${JSON.stringify(last?.instances ?? last)}`);
    },
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        const stopped = await Promise.race([exited.then(() => true), sleep(15_000).then(() => false)]);
        if (!stopped) child.kill('SIGKILL');
        await exited;
      }
      killRecordedInstances(dataDir);
    },
  };
}

export function upCount(group: ServerGroup | undefined): number {
  return group?.instances.filter((instance) => instance.health === 'Up').length ?? 0;
}

/**
 * For a test file that drives the shipped server with the local cloud on: starts `gennaker serve` on a
 * fresh data directory before its tests, and kills it, its daemon and instances after them.
 */
export function servedWithLocalCloud(name: string): { readonly dataDir: string; server(): RunningServer } {
  const dataDir = mkdtempSync(join(tmpdir(), `gennaker-${name}-`));
  let running: RunningServer | undefined;
  before(async () => {
    running = await startServer(['--data', dataDir, '--local-cloud', 'on']);
  });
  after(() => killServedCloud(dataDir, running ? [running] : []));
  return {
    dataDir,
    server: () => {
      if (!running) throw new Error('the server is started before the tests');
      return running;
    },
  };
}

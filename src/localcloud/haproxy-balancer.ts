import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { memberWeights } from '../core/cloud/index.js';
import { GennakerError } from '../core/errors.js';
import type { Logger } from '../log/logger.js';
import type { BalancerBackend, TargetSource } from './balancer.js';
import type { LoadBalancerMetrics } from './metrics.js';
import { freeLoopbackPort } from './free-port.js';
import { haproxyCommand } from './haproxy-runtime.js';
import type { LoadBalancerRecord } from './state-file.js';

export interface HaproxyOptions {
  /** Where configs, sockets, pid files and logs go. */
  readonly dir: string;
  readonly host: string;
  readonly logger: Logger;
  /** Where HAProxy's request counters are added (see collectMetrics). */
  readonly metrics: LoadBalancerMetrics;
  /** The haproxy executable (default: `haproxy` on PATH). */
  readonly executable?: string;
}

interface ServerState {
  readonly port: number;
  readonly serverGroup: string;
  /** hrsp_1xx … hrsp_5xx as last collected. */
  counted: number[];
  weight: number;
  /** In rotation (`ready`) or draining towards deletion (`maint`). */
  ready: boolean;
}

/** HAProxy's largest server weight. */
const maxWeight = 256;
const backend = 'instances';
const statusColumns = ['hrsp_1xx', 'hrsp_2xx', 'hrsp_3xx', 'hrsp_4xx', 'hrsp_5xx'];

function noBackendResponse(name: string): string {
  const body = JSON.stringify({
    error: {
      code: 'GNK_E_NO_HEALTHY_BACKEND',
      message: `load balancer ${name} has no Up instance in an enabled server group with a positive weight`,
      details: [{ path: 'loadBalancer', expected: 'an Up instance' }],
    },
  });
  return `HTTP/1.1 503 Service Unavailable\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`;
}

function config(record: LoadBalancerRecord, host: string, port: number, socket: string, errorFile: string): string {
  return [
    'global',
    `  stats socket ${socket} mode 600 level admin`,
    '  maxconn 4096',
    'defaults',
    '  mode http',
    '  timeout connect 2s',
    '  timeout client 60s',
    '  timeout server 60s',
    // Like the builtin balancer: a request whose connection fails goes to another instance.
    '  retries 2',
    '  option redispatch 1',
    '  retry-on conn-failure empty-response',
    `  errorfile 503 ${errorFile}`,
    'frontend entry',
    `  bind ${host}:${port}`,
    `  default_backend ${backend}`,
    `backend ${backend}`,
    '  balance roundrobin',
    '  http-reuse always',
    '',
  ].join('\n');
}

/**
 * A load balancer backed by an HAProxy process. Instances are dynamic servers added, weighted, drained
 * and deleted through the runtime API; HAProxy never reloads, so connections survive every change.
 * Group weights become per-server weights (HAProxy weighs servers, not groups).
 */
export class HaproxyBalancer implements BalancerBackend {
  private readonly servers = new Map<string, ServerState>();
  private queue: Promise<void> = Promise.resolve();

  private constructor(
    private record: LoadBalancerRecord,
    readonly port: number,
    private readonly targets: TargetSource,
    private readonly process: ChildProcess,
    private readonly socket: string,
    private readonly pidFile: string,
    private readonly logger: Logger,
    private readonly metrics: LoadBalancerMetrics,
  ) {}

  static async start(record: LoadBalancerRecord, targets: TargetSource, options: HaproxyOptions): Promise<HaproxyBalancer> {
    mkdirSync(options.dir, { recursive: true });
    const base = join(options.dir, `${record.account}-${record.region}-${record.name}`);
    const pidFile = `${base}.pid`;
    killPrevious(pidFile);
    const port = record.port === 0 ? await freeLoopbackPort() : record.port;
    const socket = `${base}.sock`;
    const errorFile = `${base}.503.http`;
    rmSync(socket, { force: true });
    writeFileSync(errorFile, noBackendResponse(record.name));
    writeFileSync(`${base}.cfg`, config(record, options.host, port, socket, errorFile));
    const log = openSync(`${base}.log`, 'a');
    // -db: stay in the foreground, a child of the daemon that stops with it.
    const child = spawn(options.executable ?? 'haproxy', ['-db', '-f', `${base}.cfg`], { stdio: ['ignore', log, log] });
    closeSync(log);
    const started = await waitForRuntime(child, socket);
    if (!started.ok) {
      child.kill('SIGKILL');
      throw new GennakerError('GNK_E_OPERATION_REFUSED', `haproxy for ${record.name} did not start: ${started.reason} (log: ${base}.log)`, [
        { path: 'localCloud.loadBalancer', expected: 'haproxy 2.6 or newer on PATH, and a free port' },
      ]);
    }
    writeFileSync(pidFile, String(child.pid));
    return new HaproxyBalancer({ ...record, port }, port, targets, child, socket, pidFile, options.logger, options.metrics);
  }

  /** Brings HAProxy's servers in line with the routable instances and weights; one refresh at a time. */
  refresh(record: LoadBalancerRecord): Promise<void> {
    if (record.latencyMs > 0) {
      return Promise.reject(
        new GennakerError('GNK_E_OPERATION_REFUSED', 'latency chaos needs the builtin load balancer', [
          { path: 'localCloud.loadBalancer', expected: 'builtin' },
        ]),
      );
    }
    this.record = record;
    const run = this.queue.then(() => this.sync());
    this.queue = run.catch((error: unknown) => this.logger.warn({ err: error, loadBalancer: this.record.name }, 'haproxy sync failed'));
    return run;
  }

  async close(): Promise<void> {
    await this.queue;
    const exited = new Promise((resolveExit) => this.process.once('exit', resolveExit));
    if (this.process.exitCode === null) this.process.kill('SIGTERM');
    await exited;
    rmSync(this.pidFile, { force: true });
  }

  private async sync(): Promise<void> {
    const groups = this.targets();
    const ports = new Map<string, number>();
    const owners = new Map<string, string>();
    for (const group of groups) {
      for (const instance of group.instances) {
        ports.set(instance.id, instance.launch.port);
        owners.set(instance.id, group.serverGroup);
      }
    }
    const weights = memberWeights(
      groups.map((group) => ({ weight: group.weight, members: group.instances.map((instance) => instance.id) })),
      maxWeight,
    );
    for (const [id, weight] of weights) {
      const server = this.servers.get(id);
      if (!server) {
        await this.command(`add server ${backend}/${id} 127.0.0.1:${ports.get(id)} weight ${weight}`);
        await this.command(`set server ${backend}/${id} state ready`);
        this.servers.set(id, { port: ports.get(id)!, serverGroup: owners.get(id)!, counted: [0, 0, 0, 0, 0], weight, ready: true });
        continue;
      }
      if (server.weight !== weight) {
        await this.command(`set server ${backend}/${id} weight ${weight}`);
        server.weight = weight;
      }
      if (!server.ready) {
        await this.command(`set server ${backend}/${id} state ready`);
        server.ready = true;
      }
    }
    // Count what leaving servers answered before they are deleted with their counters.
    await this.collect([...this.servers].filter(([id]) => !weights.has(id)));
    for (const [id, server] of this.servers) {
      if (weights.has(id)) continue;
      // Out of rotation: maintenance takes no new requests and lets in-flight ones finish.
      if (server.ready) {
        await this.command(`set server ${backend}/${id} state maint`);
        server.ready = false;
      }
      // Deleting needs the server idle; until then it stays in maintenance and is tried again next sync.
      const answer = await this.command(`del server ${backend}/${id}`, false);
      if (/deleted/i.test(answer)) this.servers.delete(id);
    }
  }

  /**
   * Adds HAProxy's per-server response counters (hrsp_1xx … hrsp_5xx of `show stat`) since the last
   * collection to the metrics, by server group. HAProxy keeps no per-request latencies, so these series
   * have counts only.
   */
  collectMetrics(): Promise<void> {
    const run = this.queue.then(() => this.collect([...this.servers]));
    this.queue = run.catch((error: unknown) => this.logger.warn({ err: error, loadBalancer: this.record.name }, 'haproxy stats failed'));
    return run;
  }

  private async collect(servers: readonly (readonly [string, ServerState])[]): Promise<void> {
    if (servers.length === 0) return;
    const [header = '', ...rows] = (await this.command('show stat', false)).replace(/^# /, '').split('\n');
    const columns = header.split(',');
    const byServer = new Map(rows.map((line) => line.split(',')).filter((cells) => cells[0] === backend).map((cells) => [cells[1], cells]));
    for (const [id, server] of servers) {
      const row = byServer.get(id);
      if (!row) continue;
      const labels = { account: this.record.account, region: this.record.region, loadBalancer: this.record.name, serverGroup: server.serverGroup };
      statusColumns.forEach((column, index) => {
        const value = Number(row[columns.indexOf(column)] ?? 0);
        this.metrics.addCount(labels, `${index + 1}xx`, value - server.counted[index]!);
        server.counted[index] = value;
      });
    }
  }

  private async command(command: string, strict = true): Promise<string> {
    const answer = await haproxyCommand(this.socket, command);
    if (strict && /^(unknown|no such|invalid|.*error|.*not allowed)/im.test(answer)) {
      throw new Error(`haproxy refused "${command}": ${answer}`);
    }
    return answer;
  }
}

function killPrevious(pidFile: string): void {
  if (!existsSync(pidFile)) return;
  const pid = Number(readFileSync(pidFile, 'utf8'));
  try {
    if (pid > 0) process.kill(pid, 'SIGKILL');
  } catch {
    // Not running any more.
  }
  rmSync(pidFile, { force: true });
}

async function waitForRuntime(child: ChildProcess, socket: string): Promise<{ ok: true } | { ok: false; reason: string }> {
  let failure: string | undefined;
  child.once('error', (error) => (failure = error.message));
  child.once('exit', (code) => (failure ??= `exited with code ${code}`));
  for (let i = 0; i < 200 && failure === undefined; i++) {
    if (existsSync(socket)) {
      try {
        if ((await haproxyCommand(socket, 'show info')).includes('Name: HAProxy')) return { ok: true };
      } catch {
        // Not listening yet.
      }
    }
    await sleep(25);
  }
  return { ok: false, reason: failure ?? 'its runtime API did not answer within 5 s' };
}

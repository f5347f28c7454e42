import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, mkdirSync, openSync } from 'node:fs';
import { Agent, get } from 'node:http';
import { dirname } from 'node:path';
import { applyProbe, initialHealth, type HealthCheck, type HealthTracker, type ProbedHealth } from '../core/cloud/index.js';

export interface InstanceLaunch {
  readonly id: string;
  readonly serverGroup: string;
  readonly port: number;
  readonly dir: string;
  readonly command: readonly string[];
  readonly env: Readonly<Record<string, string>>;
  readonly logPath: string;
  readonly healthCheck: HealthCheck;
  readonly launchedAt: number;
}

/** While Starting, probe often so an instance takes traffic soon after it listens. */
const startingProbeMs = 50;
/** Failed probes of a Starting instance count only after this long: booting is not failing. */
const startupGraceMs = 10_000;

/** What an instance gets from the daemon's own environment: enough to find programs, nothing more. */
const inheritedEnv = ['PATH', 'HOME', 'LANG', 'TMPDIR', 'TZ'];

function baseEnv(): Record<string, string> {
  const env: Record<string, string> = {};
  for (const name of inheritedEnv) {
    const value = process.env[name];
    if (value !== undefined) env[name] = value;
  }
  return env;
}

/**
 * One instance: an OS process in its own process group (so stopping it stops its children too), its
 * output appended to its log file, probed over HTTP while it lives. `onChange` fires when its health
 * changes or it exits.
 */
export class Instance {
  readonly address: string;
  /** Keep-alive connections from the load balancers to this instance. */
  readonly agent = new Agent({ keepAlive: true, maxSockets: 256, keepAliveMsecs: 1000 });
  health: HealthTracker = initialHealth;
  /** Why the process is gone; undefined while it runs. */
  exitReason: string | undefined;
  /** Taken out of rotation: no new requests, stopped once in-flight ones finish. */
  stopping = false;
  inFlight = 0;
  private readonly child: ChildProcess;
  private probeTimer: NodeJS.Timeout | undefined;
  private readonly exited: Promise<void>;
  private drained: (() => void) | undefined;

  constructor(
    readonly launch: InstanceLaunch,
    private readonly onChange: (instance: Instance) => void,
  ) {
    this.address = `127.0.0.1:${launch.port}`;
    mkdirSync(dirname(launch.logPath), { recursive: true });
    const log = openSync(launch.logPath, 'a');
    const [program, ...args] = launch.command;
    // `node` means the Node.js running the daemon, so instances do not depend on PATH.
    const executable = program === 'node' ? process.execPath : program!;
    try {
      this.child = spawn(executable, args, {
        cwd: launch.dir,
        env: { ...baseEnv(), ...launch.env, PORT: String(launch.port), INSTANCE_ID: launch.id, SERVER_GROUP: launch.serverGroup },
        stdio: ['ignore', log, log],
        detached: true,
      });
    } finally {
      closeSync(log);
    }
    this.exited = new Promise((resolveExit) => {
      this.child.once('error', (error) => this.markExited(`could not start: ${error.message}`, resolveExit));
      this.child.once('exit', (code, signal) =>
        this.markExited(signal ? `killed by ${signal}` : `exited with code ${code}`, resolveExit),
      );
    });
    this.scheduleProbe(startingProbeMs);
  }

  get id(): string {
    return this.launch.id;
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  /** Health as probes see it; a gone process is Down whatever its last probe said. */
  get probedHealth(): ProbedHealth {
    return this.exitReason === undefined ? this.health.state : 'Down';
  }

  /** Up, running, and not being stopped: may receive new requests. */
  get routable(): boolean {
    return this.exitReason === undefined && !this.stopping && this.health.state === 'Up';
  }

  get isAlive(): boolean {
    return this.exitReason === undefined;
  }

  requestStarted(): void {
    this.inFlight += 1;
  }

  requestFinished(): void {
    this.inFlight -= 1;
    if (this.inFlight === 0 && this.drained) this.drained();
  }

  /**
   * Resolves once no request is in flight (at most `timeoutMs`), then closes the idle keep-alive sockets
   * to the instance. Sockets busy again by then (the group was re-enabled) are left alone.
   */
  async drain(timeoutMs: number): Promise<void> {
    if (this.inFlight > 0) {
      await new Promise<void>((resolveDrained) => {
        const timer = setTimeout(resolveDrained, timeoutMs);
        this.drained = () => {
          clearTimeout(timer);
          resolveDrained();
        };
      });
      this.drained = undefined;
    }
    for (const sockets of Object.values(this.agent.freeSockets)) for (const socket of sockets ?? []) socket.destroy();
  }

  /** Takes the instance out of rotation, lets in-flight requests finish, then SIGTERM and SIGKILL after a grace. */
  async stop(drainMs = 10_000, graceMs = 3_000): Promise<void> {
    this.stopping = true;
    await this.drain(drainMs);
    this.signal('SIGTERM');
    const killTimer = setTimeout(() => this.signal('SIGKILL'), graceMs);
    await this.exited;
    clearTimeout(killTimer);
  }

  /** SIGKILL to the whole process group, as a crash would (chaos). */
  kill(): void {
    this.signal('SIGKILL');
  }

  whenExited(): Promise<void> {
    return this.exited;
  }

  private signal(signal: NodeJS.Signals): void {
    if (this.exitReason !== undefined || this.child.pid === undefined) return;
    try {
      process.kill(-this.child.pid, signal);
    } catch {
      // The group is already gone.
    }
  }

  private markExited(reason: string, resolveExit: () => void): void {
    if (this.exitReason !== undefined) return;
    this.exitReason = reason;
    clearTimeout(this.probeTimer);
    this.agent.destroy();
    resolveExit();
    this.onChange(this);
  }

  private scheduleProbe(delayMs: number): void {
    this.probeTimer = setTimeout(() => void this.probe(), delayMs);
  }

  private async probe(): Promise<void> {
    const { path, timeoutMs, intervalMs } = this.launch.healthCheck;
    const result = await probeOnce(`http://${this.address}${path}`, timeoutMs);
    if (this.exitReason !== undefined) return;
    const before = this.health.state;
    const booting = before === 'Starting' && result === 'unreachable' && Date.now() - this.launch.launchedAt < startupGraceMs;
    // A process still booting refuses connections; that is not yet a failure (an answer other than 2xx is).
    if (!booting) this.health = applyProbe(this.health, result === 'passed', this.launch.healthCheck);
    if (this.health.state !== before) this.onChange(this);
    this.scheduleProbe(this.health.state === 'Starting' ? Math.min(intervalMs, startingProbeMs) : intervalMs);
  }
}

function probeOnce(url: string, timeoutMs: number): Promise<'passed' | 'failed' | 'unreachable'> {
  return new Promise((resolveProbe) => {
    const request = get(url, { timeout: timeoutMs, agent: false }, (response) => {
      response.resume();
      const status = response.statusCode ?? 0;
      resolveProbe(status >= 200 && status < 300 ? 'passed' : 'failed');
    });
    request.once('timeout', () => request.destroy(new Error('health check timed out')));
    request.once('error', () => resolveProbe('unreachable'));
  });
}

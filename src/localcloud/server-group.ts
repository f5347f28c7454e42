import type { Capacity, Instance as InstanceView, ServerGroup } from '../core/cloud/index.js';
import { reconcileCapacity, replacementBackoffMs } from '../core/cloud/index.js';
import { freeLoopbackPort } from './free-port.js';
import { Instance } from './instance.js';
import type { LocalCloudFiles } from './paths.js';
import type { ServerGroupRecord } from './state-file.js';

export interface ServerGroupHooks {
  readonly files: LocalCloudFiles;
  allocateInstanceId(): string;
  /** Anything visible changed: health, instances, capacity. */
  changed(group: ServerGroupRuntime): void;
  /** Resolves once every balancer of the group routes by its current membership (HAProxy is told asynchronously). */
  balancersUpdated(group: ServerGroupRuntime): Promise<void>;
  /** An instance started or is gone (its pid is remembered for clean-up after a daemon crash). */
  instancesChanged(): void;
  /** A launch failed in a way that is not the instance's fault (no port, spawn error). */
  log(message: string, details: Record<string, unknown>): void;
}

/**
 * A server group at run time: keeps its instance count at the desired capacity like an auto-scaling
 * group, replacing instances whose process exits. Instances that die before ever being Up count as
 * failed launches, and replacements back off so a crash-looping group does not spin.
 */
export class ServerGroupRuntime {
  readonly instances = new Map<string, Instance>();
  private pendingLaunches = 0;
  private failedLaunches = 0;
  private nextLaunchAt = 0;
  private retryTimer: NodeJS.Timeout | undefined;
  private destroyed = false;

  constructor(
    public record: ServerGroupRecord,
    private readonly hooks: ServerGroupHooks,
  ) {}

  get name(): string {
    return this.record.name;
  }

  describe(): ServerGroup {
    const { artifactDir: _artifactDir, ...visible } = this.record;
    return { ...visible, instances: [...this.instances.values()].map((instance) => this.describeInstance(instance)) };
  }

  /** Instances that may take new requests: running, Up, not draining, in an enabled group. */
  routableInstances(): Instance[] {
    if (!this.record.enabled || this.destroyed) return [];
    const routable: Instance[] = [];
    for (const instance of this.instances.values()) if (instance.routable) routable.push(instance);
    return routable;
  }

  resize(capacity: Capacity): void {
    this.record = { ...this.record, capacity };
    this.reconcile();
  }

  setEnabled(enabled: boolean): void {
    this.record = { ...this.record, enabled };
    // Disabled: no new requests (routableInstances is empty); in-flight ones finish, then the idle
    // keep-alive sockets to the instances are closed.
    if (!enabled) for (const instance of this.instances.values()) void instance.drain(30_000);
  }

  /** Stops the named instances; the desired count either shrinks with them or they are replaced. */
  terminate(instanceIds: readonly string[], decrementDesired: boolean): void {
    if (decrementDesired) {
      const desired = this.record.capacity.desired - instanceIds.length;
      this.record = { ...this.record, capacity: { ...this.record.capacity, desired } };
    }
    for (const id of instanceIds) {
      const instance = this.instances.get(id);
      if (instance) void this.stopInstance(instance);
    }
    this.reconcile();
  }

  /** Stops every instance and launches no more. */
  async destroy(): Promise<void> {
    this.destroyed = true;
    clearTimeout(this.retryTimer);
    await Promise.all([...this.instances.values()].map((instance) => this.stopInstance(instance)));
  }

  /** Daemon shutdown: instances stop quickly, without waiting for traffic to drain. */
  async shutdown(): Promise<void> {
    this.destroyed = true;
    clearTimeout(this.retryTimer);
    await Promise.all([...this.instances.values()].map((instance) => instance.stop(0, 2_000)));
  }

  /** Launches or stops instances to reach the desired count. */
  reconcile(): void {
    if (this.destroyed) return;
    const live = [...this.instances.values()]
      .filter((instance) => instance.isAlive && !instance.stopping)
      .map((instance) => ({ id: instance.id, health: instance.probedHealth, launchedAt: instance.launch.launchedAt }));
    const decision = reconcileCapacity(this.record.capacity.desired - this.pendingLaunches, live);
    for (const id of decision.stop) void this.stopInstance(this.instances.get(id)!);
    if (decision.launch <= 0) {
      this.forgetDead(Number.POSITIVE_INFINITY);
      return;
    }
    const wait = this.nextLaunchAt - Date.now();
    if (wait > 0) {
      clearTimeout(this.retryTimer);
      this.retryTimer = setTimeout(() => this.reconcile(), wait);
      return;
    }
    this.forgetDead(decision.launch);
    for (let i = 0; i < decision.launch; i++) void this.launch();
  }

  private describeInstance(instance: Instance): InstanceView {
    const base = { id: instance.id, serverGroup: this.name, address: instance.address, launchedAt: instance.launch.launchedAt };
    if (instance.exitReason !== undefined) return { ...base, health: 'Down', reason: instance.exitReason };
    if (instance.stopping || !this.record.enabled) return { ...base, health: 'OutOfService' };
    if (instance.health.state === 'Down') return { ...base, health: 'Down', reason: 'failing health checks' };
    return { ...base, health: instance.health.state };
  }

  /** Dead instances stay listed (Down, with the reason) until replaced, so a crash loop is visible. */
  private forgetDead(count: number): void {
    let left = count;
    for (const instance of this.instances.values()) {
      if (left <= 0) break;
      if (!instance.isAlive) {
        this.instances.delete(instance.id);
        left -= 1;
      }
    }
  }

  private async launch(): Promise<void> {
    this.pendingLaunches += 1;
    let port: number;
    try {
      port = await freeLoopbackPort();
    } catch (error) {
      this.pendingLaunches -= 1;
      this.hooks.log('no free port for an instance', { serverGroup: this.name, err: error });
      this.launchFailed();
      return;
    }
    this.pendingLaunches -= 1;
    if (this.destroyed) return;
    const id = this.hooks.allocateInstanceId();
    const { launch } = this.record;
    const instance = new Instance(
      {
        id,
        serverGroup: this.name,
        port,
        dir: this.record.artifactDir,
        command: launch.command,
        env: { ...launch.env, ARTIFACT_VERSION: launch.artifact.version },
        logPath: this.hooks.files.instanceLog(this.name, id),
        healthCheck: launch.healthCheck,
        launchedAt: Date.now(),
      },
      (changed) => this.instanceChanged(changed),
    );
    this.instances.set(id, instance);
    this.hooks.instancesChanged();
    this.hooks.changed(this);
  }

  private instanceChanged(instance: Instance): void {
    if (instance.health.state === 'Up' && instance.isAlive) this.failedLaunches = 0;
    if (!instance.isAlive) {
      if (instance.stopping) this.instances.delete(instance.id);
      else if (instance.health.state !== 'Up') this.launchFailed();
      this.hooks.instancesChanged();
      this.reconcile();
    }
    this.hooks.changed(this);
  }

  private launchFailed(): void {
    this.failedLaunches += 1;
    this.nextLaunchAt = Date.now() + replacementBackoffMs(this.failedLaunches);
  }

  private async stopInstance(instance: Instance): Promise<void> {
    if (!instance.stopping) {
      instance.stopping = true;
      this.hooks.changed(this);
      // Out of every balancer's rotation before the process is signalled, or a balancer that learns of
      // membership asynchronously could still send it a request. A failed update is logged by the balancer.
      await this.hooks.balancersUpdated(this).catch(() => undefined);
    }
    await instance.stop();
  }
}

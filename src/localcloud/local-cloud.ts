import type { Logger } from '../log/logger.js';
import {
  clusterName,
  isValidAppName,
  nextServerGroupName,
  parseMoniker,
  type Account,
  type CloudOperation,
  type LaunchSpec,
  type LoadBalancer,
  type OperationStatus,
  type RegionSnapshot,
} from '../core/cloud/index.js';
import { GennakerError } from '../core/errors.js';
import { resolveArtifactDir } from './artifacts.js';
import { weightOf, type BalancerBackend, type TargetGroup } from './balancer.js';
import { ChangeLog } from './change-log.js';
import type { LoadBalancerMetrics } from './metrics.js';
import type { LocalCloudFiles } from './paths.js';
import { ServerGroupRuntime } from './server-group.js';
import { loadState, saveState, type LoadBalancerRecord, type PersistedState, type ServerGroupRecord } from './state-file.js';

export interface LocalCloudAccount {
  readonly name: string;
  readonly regions: readonly string[];
}

export type StartBalancer = (record: LoadBalancerRecord, targets: () => readonly TargetGroup[]) => Promise<BalancerBackend>;

export interface LocalCloudOptions {
  readonly files: LocalCloudFiles;
  readonly accounts: readonly LocalCloudAccount[];
  /** Host the load balancers listen on and advertise. */
  readonly host: string;
  readonly startBalancer: StartBalancer;
  readonly metrics: LoadBalancerMetrics;
  readonly logger: Logger;
  /** Relative artifact locations are resolved against this. */
  readonly cwd: string;
  readonly startedAt: number;
}

interface RunningBalancer {
  record: LoadBalancerRecord;
  readonly backend: BalancerBackend;
}

/** Finished operations remembered for idempotency; the oldest are forgotten beyond this. */
const retainedOperations = 10_000;

function regionKey(account: string, region: string): string {
  return `${account}/${region}`;
}

function notFound(what: string, path: string): GennakerError {
  return new GennakerError('GNK_E_NOT_FOUND', what, [{ path }]);
}

/**
 * The local cloud's model and operations: accounts → regions → server groups (instances as processes)
 * and load balancers. Operations run one at a time (names and capacity decisions see a settled state)
 * and are idempotent under their client token; every visible change goes to the change log.
 */
export class LocalCloud {
  readonly changes: ChangeLog;
  private readonly groups = new Map<string, Map<string, ServerGroupRuntime>>();
  private readonly balancers = new Map<string, Map<string, RunningBalancer>>();
  private readonly operations = new Map<string, { account: string; status: OperationStatus }>();
  private nextInstanceNumber = 1;
  private queue: Promise<unknown> = Promise.resolve();
  private closed = false;

  private constructor(private readonly options: LocalCloudOptions) {
    this.changes = new ChangeLog(options.startedAt);
    for (const account of options.accounts) {
      for (const region of account.regions) {
        this.groups.set(regionKey(account.name, region), new Map());
        this.balancers.set(regionKey(account.name, region), new Map());
      }
    }
  }

  /** Rebuilds from the state file: stale instance processes are killed, balancers and groups come back. */
  static async start(options: LocalCloudOptions): Promise<LocalCloud> {
    const cloud = new LocalCloud(options);
    const state = loadState(options.files.state);
    cloud.nextInstanceNumber = state.nextInstanceNumber;
    for (const entry of state.operations) cloud.operations.set(entry.status.clientToken, entry);
    for (const pid of Object.values(state.instancePids)) {
      try {
        process.kill(-pid, 'SIGKILL');
      } catch {
        // Already gone.
      }
    }
    for (const record of state.loadBalancers) {
      if (!cloud.balancers.has(regionKey(record.account, record.region))) continue;
      await cloud.startBalancer(record).catch(async (error: unknown) => {
        options.logger.warn({ err: error, loadBalancer: record.name, port: record.port }, 'previous port unavailable, choosing another');
        await cloud.startBalancer({ ...record, port: 0 });
      });
    }
    for (const record of state.serverGroups) {
      const region = cloud.groups.get(regionKey(record.account, record.region));
      if (!region) continue;
      const group = cloud.newRuntime(record);
      region.set(record.name, group);
      group.reconcile();
    }
    cloud.save();
    return cloud;
  }

  accounts(): Account[] {
    return this.options.accounts.map((account) => ({ name: account.name, provider: 'local', regions: [...account.regions] }));
  }

  /** Applies an operation once per client token; the same token again answers the stored status. */
  apply(clientToken: string, operation: CloudOperation): Promise<OperationStatus> {
    const run = this.queue.then(() => this.applyNow(clientToken, operation));
    this.queue = run.catch(() => undefined);
    return run;
  }

  operationStatus(clientToken: string): OperationStatus | undefined {
    return this.operations.get(clientToken)?.status;
  }

  describe(account: string, region: string): RegionSnapshot {
    const key = this.requireRegion(account, region);
    return {
      account,
      region,
      serverGroups: [...this.groups.get(key)!.values()].map((group) => group.describe()),
      loadBalancers: [...this.balancers.get(key)!.values()].map((balancer) => this.describeBalancer(balancer)),
    };
  }

  /** Kills a named instance, a random one of a server group, or a random one of the region (SIGKILL). */
  chaosTerminate(account: string, region: string, instanceId?: string, serverGroup?: string): string {
    const key = this.requireRegion(account, region);
    const groups = [...this.groups.get(key)!.values()].filter((group) => serverGroup === undefined || group.name === serverGroup);
    if (serverGroup !== undefined && groups.length === 0) throw notFound(`no server group ${serverGroup} in ${key}`, 'serverGroup');
    const alive = groups.flatMap((group) => [...group.instances.values()].filter((instance) => instance.isAlive));
    const candidates = instanceId === undefined ? alive : alive.filter((instance) => instance.id === instanceId);
    if (candidates.length === 0) {
      throw notFound(instanceId ? `no running instance ${instanceId} in ${key}` : `no running instance to terminate in ${key}`, instanceId ? 'instanceId' : 'serverGroup');
    }
    const victim = candidates[Math.floor(Math.random() * candidates.length)]!;
    victim.kill();
    return victim.id;
  }

  async chaosLatency(account: string, region: string, loadBalancer: string, ms: number): Promise<void> {
    const balancer = this.requireBalancer(account, region, loadBalancer);
    const record = { ...balancer.record, latencyMs: ms };
    await balancer.backend.refresh(record);
    balancer.record = record;
    this.save();
  }

  /** Lets backends that count requests themselves bring the metrics up to date. */
  async collectMetrics(): Promise<void> {
    const balancers = [...this.balancers.values()].flatMap((region) => [...region.values()]);
    await Promise.all(balancers.map((balancer) => balancer.backend.collectMetrics?.()));
  }

  async shutdown(): Promise<void> {
    this.closed = true;
    await this.queue;
    const groups = [...this.groups.values()].flatMap((region) => [...region.values()]);
    await Promise.all(groups.map((group) => group.shutdown()));
    const balancers = [...this.balancers.values()].flatMap((region) => [...region.values()]);
    await Promise.all(balancers.map((balancer) => balancer.backend.close()));
    this.save();
  }

  private async applyNow(clientToken: string, operation: CloudOperation): Promise<OperationStatus> {
    const known = this.operations.get(clientToken);
    if (known) return known.status;
    let status: OperationStatus;
    try {
      if (this.closed) throw new GennakerError('GNK_E_LOCALCLOUD_UNAVAILABLE', 'the local cloud is shutting down');
      status = { state: 'succeeded', clientToken, ...(await this.perform(operation)) };
    } catch (error) {
      if (!(error instanceof GennakerError)) this.options.logger.error({ err: error, operation }, 'operation failed unexpectedly');
      const coded = error instanceof GennakerError ? error : new GennakerError('GNK_E_INTERNAL', 'unexpected failure in the local cloud');
      // The code travels in its own field; the message need not repeat it.
      status = { state: 'failed', clientToken, code: coded.code, message: coded.message.slice(`${coded.code}: `.length) };
    }
    this.operations.set(clientToken, { account: operation.account, status });
    while (this.operations.size > retainedOperations) this.operations.delete(this.operations.keys().next().value!);
    this.save();
    this.changes.append({ kind: 'operationFinished', status });
    return status;
  }

  private async perform(operation: CloudOperation): Promise<Omit<Extract<OperationStatus, { state: 'succeeded' }>, 'state' | 'clientToken'>> {
    const { account, region } = operation;
    const key = this.requireRegion(account, region);
    switch (operation.type) {
      case 'createServerGroup': {
        const cluster = clusterName(operation.application, operation.stack, operation.detail);
        if (!isValidAppName(operation.application) || parseMoniker(cluster)?.cluster !== cluster) {
          throw new GennakerError('GNK_E_VALIDATION', `application, stack and detail do not form a valid cluster name: ${cluster}`, [
            { path: 'operation.application', expected: 'letters, digits, "." and "_" (detail may also contain "-")' },
          ]);
        }
        for (const name of operation.loadBalancers) this.requireBalancer(account, region, name);
        const group = await this.createGroup(key, {
          account,
          region,
          application: operation.application,
          stack: operation.stack,
          detail: operation.detail,
          capacity: operation.capacity,
          enabled: operation.enabled,
          launch: operation.launch,
          loadBalancers: operation.loadBalancers,
        });
        return { serverGroup: group.describe() };
      }
      case 'cloneServerGroup': {
        const source = this.requireGroup(account, region, operation.source);
        const moniker = parseMoniker(source.name)!;
        const group = await this.createGroup(key, {
          account,
          region,
          application: moniker.app,
          stack: moniker.stack,
          detail: moniker.detail,
          capacity: operation.capacity ?? source.record.capacity,
          enabled: operation.enabled,
          launch: operation.launch ?? source.record.launch,
          loadBalancers: source.record.loadBalancers.filter((name) => this.balancers.get(key)!.has(name)),
        });
        return { serverGroup: group.describe() };
      }
      case 'resizeServerGroup': {
        const group = this.requireGroup(account, region, operation.serverGroup);
        group.resize(operation.capacity);
        this.groupChanged(group);
        return { serverGroup: group.describe() };
      }
      case 'enableServerGroup':
      case 'disableServerGroup': {
        const group = this.requireGroup(account, region, operation.serverGroup);
        group.setEnabled(operation.type === 'enableServerGroup');
        await this.refreshBalancers(group);
        this.groupChanged(group);
        return { serverGroup: group.describe() };
      }
      case 'destroyServerGroup': {
        const group = this.requireGroup(account, region, operation.serverGroup);
        this.groups.get(key)!.delete(group.name);
        const stopped = group.destroy();
        await this.refreshBalancers(group);
        this.changes.append({ kind: 'serverGroupRemoved', account, region, name: group.name });
        // Instances drain in the background; the state file forgets them once their processes are gone.
        void stopped.then(() => this.save());
        return { removed: { kind: 'serverGroup', name: group.name } };
      }
      case 'terminateInstances': {
        const region = this.groups.get(key)!;
        const owners = operation.instanceIds.map((id) => {
          const owner = [...region.values()].find((group) => group.instances.get(id)?.isAlive);
          if (!owner) throw notFound(`no running instance ${id} in ${key}`, 'operation.instanceIds');
          return owner;
        });
        const group = owners[0]!;
        if (owners.some((owner) => owner !== group)) {
          throw new GennakerError('GNK_E_OPERATION_REFUSED', 'terminateInstances takes instances of one server group at a time', [
            { path: 'operation.instanceIds', expected: 'instances of a single server group' },
          ]);
        }
        const { min, desired } = group.record.capacity;
        if (operation.decrementDesired && desired - operation.instanceIds.length < min) {
          throw new GennakerError('GNK_E_OPERATION_REFUSED', `decrementing ${group.name} below its minimum of ${min}`, [
            { path: 'operation.decrementDesired', expected: `at most ${desired - min} instance(s) with decrementDesired` },
          ]);
        }
        group.terminate(operation.instanceIds, operation.decrementDesired);
        await this.refreshBalancers(group);
        this.groupChanged(group);
        return { serverGroup: group.describe() };
      }
      case 'upsertLoadBalancer': {
        const existing = this.balancers.get(key)!.get(operation.name);
        if (existing) return { loadBalancer: this.describeBalancer(existing) };
        const balancer = await this.startBalancer({ account, region, name: operation.name, port: operation.port ?? 0, latencyMs: 0 }).catch(
          (error: unknown) => {
            throw new GennakerError('GNK_E_OPERATION_REFUSED', `load balancer ${operation.name} cannot listen on port ${operation.port}: ${(error as Error).message}`, [
              { path: 'operation.port', expected: 'a free port, or 0 to let the local cloud choose' },
            ]);
          },
        );
        this.save();
        return { loadBalancer: this.describeBalancer(balancer) };
      }
      case 'deleteLoadBalancer': {
        const balancer = this.requireBalancer(account, region, operation.name);
        const attached = [...this.groups.get(key)!.values()].filter((group) => group.record.loadBalancers.includes(operation.name));
        if (attached.length > 0) {
          throw new GennakerError('GNK_E_OPERATION_REFUSED', `load balancer ${operation.name} still has server groups attached: ${attached.map((group) => group.name).join(', ')}`, [
            { path: 'operation.name', expected: 'a load balancer without server groups (destroy them first)' },
          ]);
        }
        this.balancers.get(key)!.delete(operation.name);
        await balancer.backend.close();
        this.options.metrics.forget(account, region, operation.name);
        this.changes.append({ kind: 'loadBalancerRemoved', account, region, name: operation.name });
        return { removed: { kind: 'loadBalancer', name: operation.name } };
      }
      case 'setTrafficWeights': {
        const balancer = this.requireBalancer(account, region, operation.loadBalancer);
        const { weights: _previous, ...rest } = balancer.record;
        balancer.record = operation.weights === null ? rest : { ...rest, weights: operation.weights };
        await balancer.backend.refresh(balancer.record);
        const described = this.describeBalancer(balancer);
        this.changes.append({ kind: 'loadBalancerUpserted', loadBalancer: described });
        return { loadBalancer: described };
      }
    }
  }

  private async createGroup(
    key: string,
    spec: Omit<ServerGroupRecord, 'name' | 'cluster' | 'artifactDir' | 'createdAt'> & { stack?: string; detail?: string; launch: LaunchSpec },
  ): Promise<ServerGroupRuntime> {
    const region = this.groups.get(key)!;
    const createdAt = Date.now();
    const name = nextServerGroupName(spec.application, spec.stack, spec.detail, [...region.values()].map((group) => group.record));
    if (name === undefined) {
      throw new GennakerError('GNK_E_OPERATION_REFUSED', `all 1,000 server-group numbers of ${clusterName(spec.application, spec.stack, spec.detail)} are taken`, [
        { path: 'operation.application', expected: 'a cluster with fewer than 1,000 server groups' },
      ]);
    }
    const artifactDir = await resolveArtifactDir(spec.launch.artifact, this.options.files.artifacts, this.options.cwd);
    const record: ServerGroupRecord = {
      account: spec.account,
      region: spec.region,
      name,
      cluster: parseMoniker(name)!.cluster,
      application: spec.application,
      capacity: spec.capacity,
      enabled: spec.enabled,
      launch: spec.launch,
      artifactDir,
      loadBalancers: spec.loadBalancers,
      // Strictly increasing per region, so "created last" is unambiguous for the next name.
      createdAt: Math.max(createdAt, ...[...region.values()].map((group) => group.record.createdAt + 1)),
    };
    const group = this.newRuntime(record);
    region.set(name, group);
    group.reconcile();
    this.groupChanged(group);
    return group;
  }

  private newRuntime(record: ServerGroupRecord): ServerGroupRuntime {
    return new ServerGroupRuntime(record, {
      files: this.options.files,
      allocateInstanceId: () => {
        const id = `i-${String(this.nextInstanceNumber).padStart(6, '0')}`;
        this.nextInstanceNumber += 1;
        return id;
      },
      changed: (group) => {
        if (this.groups.get(regionKey(group.record.account, group.record.region))?.get(group.name) !== group) return;
        void this.refreshBalancers(group);
        this.groupChanged(group);
      },
      balancersUpdated: (group) => this.refreshBalancers(group),
      instancesChanged: () => this.save(),
      log: (message, details) => this.options.logger.warn(details, message),
    });
  }

  private groupChanged(group: ServerGroupRuntime): void {
    this.changes.append({ kind: 'serverGroupUpserted', serverGroup: group.describe() });
  }

  /** Backends that push targets (HAProxy) learn of health and membership changes here. */
  private async refreshBalancers(group: ServerGroupRuntime): Promise<void> {
    const region = this.balancers.get(regionKey(group.record.account, group.record.region));
    if (!region) return;
    await Promise.all(
      group.record.loadBalancers.map((name) => {
        const balancer = region.get(name);
        return balancer ? balancer.backend.refresh(balancer.record) : undefined;
      }),
    );
  }

  private async startBalancer(record: LoadBalancerRecord): Promise<RunningBalancer> {
    const key = regionKey(record.account, record.region);
    const running: RunningBalancer = { record, backend: undefined as unknown as BalancerBackend };
    const backend = await this.options.startBalancer(record, () => this.targetsOf(key, running.record));
    Object.assign(running, { backend });
    running.record = { ...record, port: backend.port };
    await backend.refresh(running.record);
    this.balancers.get(key)!.set(record.name, running);
    this.changes.append({ kind: 'loadBalancerUpserted', loadBalancer: this.describeBalancer(running) });
    return running;
  }

  private targetsOf(key: string, record: LoadBalancerRecord): TargetGroup[] {
    const targets: TargetGroup[] = [];
    for (const group of this.groups.get(key)!.values()) {
      if (!group.record.loadBalancers.includes(record.name)) continue;
      const instances = group.routableInstances();
      targets.push({ serverGroup: group.name, weight: weightOf(record, group.name, instances.length), instances });
    }
    return targets;
  }

  private describeBalancer({ record }: RunningBalancer): LoadBalancer {
    return {
      account: record.account,
      region: record.region,
      name: record.name,
      address: `${this.options.host}:${record.port}`,
      ...(record.weights ? { weights: record.weights } : {}),
    };
  }

  private requireRegion(account: string, region: string): string {
    const key = regionKey(account, region);
    if (this.groups.has(key)) return key;
    const known = this.options.accounts.find((candidate) => candidate.name === account);
    if (!known) {
      throw notFound(`no account ${account} in the local cloud (accounts: ${this.options.accounts.map((a) => a.name).join(', ')})`, 'account');
    }
    throw notFound(`account ${account} has no region ${region} (regions: ${known.regions.join(', ')})`, 'region');
  }

  private requireGroup(account: string, region: string, name: string): ServerGroupRuntime {
    const group = this.groups.get(this.requireRegion(account, region))!.get(name);
    if (!group) throw notFound(`no server group ${name} in ${account}/${region}`, 'operation.serverGroup');
    return group;
  }

  private requireBalancer(account: string, region: string, name: string): RunningBalancer {
    const balancer = this.balancers.get(this.requireRegion(account, region))!.get(name);
    if (!balancer) throw notFound(`no load balancer ${name} in ${account}/${region}`, 'loadBalancer');
    return balancer;
  }

  private save(): void {
    const groups = [...this.groups.values()].flatMap((region) => [...region.values()]);
    const instancePids: Record<string, number> = {};
    for (const group of groups) {
      for (const instance of group.instances.values()) if (instance.isAlive && instance.pid !== undefined) instancePids[instance.id] = instance.pid;
    }
    const state: PersistedState = {
      format: 1,
      nextInstanceNumber: this.nextInstanceNumber,
      serverGroups: groups.map((group) => group.record),
      loadBalancers: [...this.balancers.values()].flatMap((region) => [...region.values()].map((balancer) => balancer.record)),
      operations: [...this.operations.values()],
      instancePids,
    };
    saveState(this.options.files.state, state);
  }
}

import { EventEmitter } from 'node:events';
import {
  changedResource,
  diffRegion,
  isRemoval,
  resourceChangeOf,
  writeThroughChanges,
  type ApplicationView,
  type CloudChange,
  type CloudOperation,
  type LoadBalancer,
  type OperationStatus,
  type RegionSnapshot,
  type ResourceChange,
  type ServerGroup,
} from '../core/cloud/index.js';
import type { Logger } from '../log/logger.js';
import type { ProviderRegistration, ProviderRegistry } from '../providers/registry.js';
import type { Store } from '../store/store.js';
import { InventoryIndex } from './inventory-index.js';
import { InventoryWriter } from './inventory-writer.js';
import { OperationWaiters } from './operation-waiters.js';

export interface InventoryOptions {
  readonly store: Store;
  readonly registry: ProviderRegistry;
  readonly logger: Logger;
  /** How often every account and region is described afresh, to catch what no change event reported. */
  readonly reconcileIntervalMs: number;
}

export interface InventoryEvents {
  change: [ResourceChange];
}

type FinishedStatus = Exclude<OperationStatus, { state: 'running' }>;

/**
 * The current state of every account and region: served from memory, kept in the store, fed by the
 * platform's own operations (write-through), the providers' change streams and a periodic reconcile.
 * After a restart the last known state is served at once; the first reconcile then corrects it.
 */
export class Inventory {
  /** Every effective change, in the order applied. */
  readonly events = new EventEmitter<InventoryEvents>();
  private readonly index = new InventoryIndex();
  private readonly waiters = new OperationWaiters();
  private readonly writer: InventoryWriter;
  /** Operations this process awaits, so their results can be written through when they finish. */
  private readonly awaited = new Map<string, CloudOperation>();
  /** Resources changed while a description or an operation was in flight: newer than its answer. */
  private readonly touchedSets = new Set<Set<string>>();
  /**
   * Resources the platform's own operations removed, by their write-through, before the change stream
   * carried the removal. The stream is another connection: an update the provider sent before the removal
   * can arrive after the operation's answer, and must not bring the resource back in the meantime.
   */
  private readonly removedAheadOfStream = new Set<string>();
  private readonly unsubscribes: Array<() => void> = [];
  private reconciling: Promise<void> = Promise.resolve();
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;
  private firstReconcile: Promise<void> = Promise.resolve();

  constructor(private readonly options: InventoryOptions) {
    this.writer = new InventoryWriter(options.store, options.logger);
  }

  /** Loads the last known state (served from then on), follows every provider's changes, starts reconciling. */
  async start(): Promise<void> {
    const stored = await this.options.store.inventory.load();
    for (const serverGroup of stored.serverGroups) this.index.apply({ kind: 'serverGroupUpserted', serverGroup });
    for (const loadBalancer of stored.loadBalancers) this.index.apply({ kind: 'loadBalancerUpserted', loadBalancer });
    if (stored.unreadable > 0) this.options.logger.warn({ unreadable: stored.unreadable }, 'inventory: stored resources no longer readable; reconcile replaces them');
    this.options.logger.info(
      { serverGroups: stored.serverGroups.length, loadBalancers: stored.loadBalancers.length },
      'inventory: last known state loaded',
    );
    for (const registration of this.options.registry.registrations) {
      const sinceSeq = stored.cursors.get(registration.name);
      this.unsubscribes.push(
        registration.provider.watch((change) => this.onProviderChange(registration, change), {
          ...(sinceSeq === undefined ? {} : { sinceSeq }),
          onGap: () => this.onGap(registration),
        }),
      );
    }
    this.firstReconcile = this.reconcile().then(() =>
      this.options.logger.info({ serverGroups: this.index.serverGroups().length, loadBalancers: this.index.loadBalancers().length }, 'inventory: reconciled'),
    );
    this.scheduleReconcile();
  }

  /** Resolves once the reconcile started by `start` is done (the state then matches the providers'). */
  reconciled(): Promise<void> {
    return this.firstReconcile;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    for (const unsubscribe of this.unsubscribes.splice(0)) unsubscribe();
    await this.reconciling;
    await this.writer.drain();
  }

  serverGroups(): ServerGroup[] {
    return this.index.serverGroups();
  }

  loadBalancers(): LoadBalancer[] {
    return this.index.loadBalancers();
  }

  serverGroup(account: string, region: string, name: string): ServerGroup | undefined {
    return this.index.serverGroup(account, region, name);
  }

  serverGroupsOf(application: string): ServerGroup[] {
    return this.index.serverGroupsOf(application);
  }

  loadBalancersOf(application: string): LoadBalancer[] {
    return this.index.loadBalancersOf(application);
  }

  loadBalancer(account: string, region: string, name: string): LoadBalancer | undefined {
    return this.index.loadBalancer(account, region, name);
  }

  region(account: string, region: string): RegionSnapshot {
    return this.index.region(account, region);
  }

  applications(): ApplicationView[] {
    return this.index.applications();
  }

  /**
   * Runs an operation to its end and answers its final status. Idempotent under the client token (the
   * engine calls it again after a crash). What it created or changed is in the inventory when this
   * resolves: the next stage sees it without waiting for a refresh.
   */
  async execute(clientToken: string, operation: CloudOperation): Promise<FinishedStatus> {
    const provider = this.options.registry.forAccount(operation.account);
    const touched = this.trackTouched();
    const waiter = this.waiters.register(clientToken);
    this.awaited.set(clientToken, operation);
    try {
      const answer = await provider.apply(clientToken, operation);
      if (answer.state === 'running') return await waiter.finished;
      // A change the stream delivered meanwhile is newer than the answer, except against a removal: once the
      // provider answers that the resource is gone, nothing it sent before is newer, and a re-creation would
      // reach the stream after the removal (which ends removedAheadOfStream).
      const changes = writeThroughChanges(operation, answer).filter((change) => isRemoval(change) || !touched.has(changedResource(change)));
      for (const change of changes) this.noteAuthoritative(change, isRemoval(change));
      this.applyChanges(changes);
      return answer;
    } finally {
      waiter.cancel();
      this.awaited.delete(clientToken);
      this.touchedSets.delete(touched);
    }
  }

  /** Describes every configured account and region and corrects what differs. Runs one at a time. */
  reconcile(): Promise<void> {
    const registrations = this.options.registry.registrations;
    this.reconciling = this.reconciling.then(() => Promise.all(registrations.map((registration) => this.reconcileRegistration(registration)))).then(
      () => undefined,
    );
    return this.reconciling;
  }

  private async reconcileRegistration(registration: ProviderRegistration): Promise<void> {
    const regions = registration.accounts.flatMap((account) => account.regions.map((region) => ({ account: account.name, region })));
    await Promise.all(regions.map(({ account, region }) => this.reconcileRegion(registration, account, region)));
  }

  private async reconcileRegion(registration: ProviderRegistration, account: string, region: string): Promise<void> {
    if (this.stopped) return;
    const touched = this.trackTouched();
    let actual: RegionSnapshot;
    try {
      actual = await registration.provider.describe(account, region);
    } catch (error) {
      this.options.logger.warn({ err: error, account, region }, 'inventory: reconcile could not describe the region; keeping the last known state');
      return;
    } finally {
      this.touchedSets.delete(touched);
    }
    const changes = diffRegion(this.index.region(account, region), actual, touched);
    for (const change of changes) this.noteAuthoritative(change, false);
    if (changes.length > 0) this.options.logger.info({ account, region, changes: changes.length }, 'inventory: reconcile corrected the region');
    this.applyChanges(changes);
  }

  private scheduleReconcile(): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      void this.reconcile().then(() => this.scheduleReconcile());
    }, this.options.reconcileIntervalMs);
  }

  private onProviderChange(registration: ProviderRegistration, change: CloudChange): void {
    if (this.stopped) return;
    const cursor = { provider: registration.name, seq: change.seq };
    if (change.kind === 'operationFinished') {
      const operation = this.awaited.get(change.status.clientToken);
      this.applyChanges(operation ? writeThroughChanges(operation, change.status) : [], cursor);
      this.waiters.finish(change.status);
      return;
    }
    const resourceChange = resourceChangeOf(change)!;
    const key = changedResource(resourceChange);
    if (isRemoval(resourceChange)) this.removedAheadOfStream.delete(key);
    this.applyChanges(this.removedAheadOfStream.has(key) ? [] : [resourceChange], cursor);
  }

  /** A change known to be current (an operation's own answer, a fresh describe) settles what the stream still owes. */
  private noteAuthoritative(change: ResourceChange, removedAheadOfStream: boolean): void {
    if (removedAheadOfStream) this.removedAheadOfStream.add(changedResource(change));
    else this.removedAheadOfStream.delete(changedResource(change));
  }

  /** Changes were lost: describe afresh, and ask once about every operation awaited there. */
  private onGap(registration: ProviderRegistration): void {
    this.options.logger.info({ provider: registration.name }, 'inventory: change stream had a gap; reconciling');
    void this.reconcile();
    for (const [clientToken, operation] of this.awaited) {
      if (this.options.registry.forAccount(operation.account) !== registration.provider) continue;
      void registration.provider.operationStatus(operation.account, clientToken).then(
        (status) => {
          if (!status || status.state === 'running' || !this.awaited.has(clientToken)) return;
          this.applyChanges(writeThroughChanges(operation, status));
          this.waiters.finish(status);
        },
        (error: unknown) => this.options.logger.warn({ err: error, clientToken }, 'inventory: could not ask for an awaited operation'),
      );
    }
  }

  private applyChanges(changes: readonly ResourceChange[], cursor?: { provider: string; seq: number }): void {
    if (this.stopped) return;
    for (const change of changes) {
      for (const touched of this.touchedSets) touched.add(changedResource(change));
    }
    const effective = changes.filter((change) => this.index.apply(change));
    if (effective.length > 0 || cursor) this.writer.write(effective, cursor);
    for (const change of effective) this.events.emit('change', change);
  }

  private trackTouched(): Set<string> {
    const touched = new Set<string>();
    this.touchedSets.add(touched);
    return touched;
  }
}

import type { Account, LoadBalancer, OperationStatus, RegionSnapshot, ServerGroup, CloudOperation } from '../core/cloud/index.js';
import type { QuarantinedVersion } from '../core/deploy/quarantine.js';
import type { TrafficGuard } from '../core/deploy/traffic-guards.js';
import { GennakerError } from '../core/errors.js';

export type FinishedOperation = Exclude<OperationStatus, { state: 'running' }>;

export interface CloudAccount extends Account {
  /** setTrafficWeights splits traffic between server groups by weight. */
  readonly weightedTraffic: boolean;
}

/**
 * What stages that change infrastructure may ask of the cloud: the inventory's current view, operations
 * run to their end under a client token, and waiting on the inventory's changes instead of polling.
 * The composition root provides it; the engine only passes it on.
 */
export interface CloudServices {
  accounts(): readonly CloudAccount[];
  /** Server groups of one cluster in one region, including what the platform's own operations just did. */
  cluster(account: string, region: string, cluster: string): readonly ServerGroup[];
  serverGroup(account: string, region: string, name: string): ServerGroup | undefined;
  loadBalancer(account: string, region: string, name: string): LoadBalancer | undefined;
  /** Runs an operation to its end; the same client token again answers the same result without repeating it. */
  execute(clientToken: string, operation: CloudOperation): Promise<FinishedOperation>;
  /**
   * The first value `check` returns for the region's state — checked now and again on every change the
   * inventory sees there — or undefined once `timeoutMs` passed or `signal` aborted.
   */
  waitFor<T>(
    account: string,
    region: string,
    check: (snapshot: RegionSnapshot) => T | undefined,
    options: { readonly timeoutMs: number; readonly signal: AbortSignal },
  ): Promise<T | undefined>;
  trafficGuards(application: string): Promise<readonly TrafficGuard[]>;
  quarantined(application: string, artifact: string, version: string): Promise<QuarantinedVersion | undefined>;
}

function unavailable(): never {
  throw new GennakerError('GNK_E_PROVIDER_UNAVAILABLE', 'no cloud is configured for this engine (start it with cloud services, e.g. the local cloud)');
}

/** For engines run without a cloud (tests of flow stages, the CLI's validate): every call says so. */
export const noCloud: CloudServices = {
  accounts: () => [],
  cluster: unavailable,
  serverGroup: unavailable,
  loadBalancer: unavailable,
  execute: async () => unavailable(),
  waitFor: async () => unavailable(),
  trafficGuards: async () => unavailable(),
  quarantined: async () => unavailable(),
};

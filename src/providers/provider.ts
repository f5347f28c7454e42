import type {
  Account,
  CloudChange,
  CloudOperation,
  OperationStatus,
  RegionSnapshot,
} from '../core/cloud/index.js';

/** What a provider can do beyond the common operations; stages check these before planning. */
export interface ProviderCapabilities {
  /** setTrafficWeights splits traffic between server groups by weight. */
  readonly weightedTraffic: boolean;
}

/**
 * The narrow interface every cloud provider implements (local cloud, Kubernetes, AWS). Mutations are
 * idempotent under a client token; reads are a description plus a change stream, so callers wait on
 * events instead of polling.
 */
export interface CloudProvider {
  /** `local`, `kubernetes`, `aws`. */
  readonly kind: string;
  readonly capabilities: ProviderCapabilities;
  accounts(): Promise<readonly Account[]>;
  /**
   * Starts an operation, or — for a client token seen before — answers its status without repeating it.
   * A `running` answer finishes later with an `operationFinished` change and via `operationStatus`.
   */
  apply(clientToken: string, operation: CloudOperation): Promise<OperationStatus>;
  /** `undefined` when the provider has never seen the token. */
  operationStatus(account: string, clientToken: string): Promise<OperationStatus | undefined>;
  describe(account: string, region: string): Promise<RegionSnapshot>;
  /**
   * Calls `listener` with every change after `sinceSeq` (all retained changes when absent), in order,
   * until the returned function is called. Reconnects by itself; `onGap` is called when changes were
   * lost (the caller should describe afresh).
   */
  watch(listener: (change: CloudChange) => void, options?: WatchOptions): () => void;
  close(): Promise<void>;
}

export interface WatchOptions {
  readonly sinceSeq?: number;
  readonly onGap?: () => void;
}

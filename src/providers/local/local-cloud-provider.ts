import {
  cloudChangeSchema,
  localCloudInfoSchema,
  localCloudPaths,
  operationStatusSchema,
  regionSnapshotSchema,
  type Account,
  type CloudChange,
  type CloudOperation,
  type LocalCloudInfo,
  type OperationStatus,
  type RegionSnapshot,
} from '../../core/cloud/index.js';
import type { Logger } from '../../log/logger.js';
import type { CloudProvider, ProviderCapabilities, WatchOptions } from '../provider.js';
import { DaemonClient } from './daemon-client.js';
import { watchChanges } from './watch-changes.js';

export interface LocalCloudProviderOptions {
  /** The daemon's base URL, e.g. http://127.0.0.1:8085 */
  readonly url: string;
  readonly logger: Logger;
}

/** The local cloud as a provider: a client of the daemon's HTTP API (core/cloud/local-cloud-protocol.ts). */
export class LocalCloudProvider implements CloudProvider {
  readonly kind = 'local';
  readonly capabilities: ProviderCapabilities = { weightedTraffic: true };
  private readonly client: DaemonClient;
  private readonly watches = new Set<() => void>();

  constructor(private readonly options: LocalCloudProviderOptions) {
    this.client = new DaemonClient(options.url);
  }

  async info(): Promise<LocalCloudInfo> {
    const { body } = await this.client.request('GET', localCloudPaths.info);
    return this.client.parse(localCloudInfoSchema, body, 'its info');
  }

  async accounts(): Promise<readonly Account[]> {
    return (await this.info()).accounts;
  }

  async apply(clientToken: string, operation: CloudOperation): Promise<OperationStatus> {
    const { body } = await this.client.request('POST', localCloudPaths.operations, { clientToken, operation });
    return this.client.parse(operationStatusSchema, body, `operation ${clientToken}`);
  }

  async operationStatus(_account: string, clientToken: string): Promise<OperationStatus | undefined> {
    const { status, body } = await this.client.request('GET', localCloudPaths.operation(clientToken), undefined, [404]);
    if (status === 404) return undefined;
    return this.client.parse(operationStatusSchema, body, `operation ${clientToken}`);
  }

  async describe(account: string, region: string): Promise<RegionSnapshot> {
    const { body } = await this.client.request('GET', localCloudPaths.region(account, region));
    return this.client.parse(regionSnapshotSchema, body, `region ${account}/${region}`);
  }

  watch(listener: (change: CloudChange) => void, options: WatchOptions = {}): () => void {
    const stop = watchChanges({
      url: new URL(localCloudPaths.changes, this.options.url).toString(),
      sinceSeq: options.sinceSeq,
      onEvent: (event) => {
        if (event.event === 'gap') {
          options.onGap?.();
          return;
        }
        let change: CloudChange;
        try {
          change = this.client.parse(cloudChangeSchema, JSON.parse(event.data), 'a change');
        } catch (error) {
          // A change we cannot read is a change lost: the consumer must describe afresh.
          this.options.logger.warn({ err: error, id: event.id }, 'local cloud: unreadable change');
          options.onGap?.();
          return;
        }
        listener(change);
        return change.seq;
      },
      onDisconnect: (error) => this.options.logger.debug({ err: error }, 'local cloud: change stream disconnected; reconnecting'),
    });
    const unsubscribe = (): void => {
      this.watches.delete(unsubscribe);
      stop();
    };
    this.watches.add(unsubscribe);
    return unsubscribe;
  }

  async close(): Promise<void> {
    for (const unsubscribe of [...this.watches]) unsubscribe();
  }
}

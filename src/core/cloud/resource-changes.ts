import type { CloudChange } from './changes.js';
import type { LoadBalancer, ServerGroup } from './model.js';
import type { CloudOperation, OperationStatus } from './operations.js';

/**
 * A change to what runs where, as the inventory reports it: a provider's change without its sequence
 * number, and without operation bookkeeping. Resources travel whole, so a consumer never merges.
 */
export type ResourceChange =
  | { readonly kind: 'serverGroupUpserted'; readonly serverGroup: ServerGroup }
  | { readonly kind: 'serverGroupRemoved'; readonly account: string; readonly region: string; readonly name: string }
  | { readonly kind: 'loadBalancerUpserted'; readonly loadBalancer: LoadBalancer }
  | { readonly kind: 'loadBalancerRemoved'; readonly account: string; readonly region: string; readonly name: string };

/** The resource change a provider's change carries; `undefined` for operation bookkeeping. */
export function resourceChangeOf(change: CloudChange): ResourceChange | undefined {
  switch (change.kind) {
    case 'serverGroupUpserted':
      return { kind: change.kind, serverGroup: change.serverGroup };
    case 'loadBalancerUpserted':
      return { kind: change.kind, loadBalancer: change.loadBalancer };
    case 'serverGroupRemoved':
    case 'loadBalancerRemoved':
      return { kind: change.kind, account: change.account, region: change.region, name: change.name };
    case 'operationFinished':
      return undefined;
  }
}

/**
 * What a finished operation tells about the resources it touched, so the platform's own writes are
 * visible at once instead of after the next change event or reconcile. A failed or running operation
 * tells nothing.
 */
export function writeThroughChanges(operation: CloudOperation, status: OperationStatus): ResourceChange[] {
  if (status.state !== 'succeeded') return [];
  const where = { account: operation.account, region: operation.region };
  return [
    ...(status.serverGroup ? [{ kind: 'serverGroupUpserted' as const, serverGroup: status.serverGroup }] : []),
    ...(status.loadBalancer ? [{ kind: 'loadBalancerUpserted' as const, loadBalancer: status.loadBalancer }] : []),
    ...(status.removed?.kind === 'serverGroup' ? [{ kind: 'serverGroupRemoved' as const, ...where, name: status.removed.name }] : []),
    ...(status.removed?.kind === 'loadBalancer' ? [{ kind: 'loadBalancerRemoved' as const, ...where, name: status.removed.name }] : []),
  ];
}

/** `account/region/name`: one resource of one kind, whatever its state. */
export function resourceKey(account: string, region: string, name: string): string {
  return `${account}/${region}/${name}`;
}

export function isRemoval(change: ResourceChange): boolean {
  return change.kind === 'serverGroupRemoved' || change.kind === 'loadBalancerRemoved';
}

/** Which resource a change is about, as `kind:account/region/name` with kind `serverGroup` or `loadBalancer`. */
export function changedResource(change: ResourceChange): string {
  switch (change.kind) {
    case 'serverGroupUpserted':
      return `serverGroup:${resourceKey(change.serverGroup.account, change.serverGroup.region, change.serverGroup.name)}`;
    case 'loadBalancerUpserted':
      return `loadBalancer:${resourceKey(change.loadBalancer.account, change.loadBalancer.region, change.loadBalancer.name)}`;
    case 'serverGroupRemoved':
      return `serverGroup:${resourceKey(change.account, change.region, change.name)}`;
    case 'loadBalancerRemoved':
      return `loadBalancer:${resourceKey(change.account, change.region, change.name)}`;
  }
}

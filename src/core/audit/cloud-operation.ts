import type { CloudOperation, OperationStatus } from '../cloud/operations.js';
import { unreachable } from '../execution/status.js';
import type { AuditTarget } from './chain.js';

type Finished = Exclude<OperationStatus, { state: 'running' }>;

function at(operation: CloudOperation, name: string): string {
  return `${operation.account}/${operation.region}/${name}`;
}

/** The resource a cloud operation changed, as `account/region/name` (a new group's name comes from the result). */
export function cloudOperationTarget(operation: CloudOperation, status: Finished): AuditTarget {
  const created = status.state === 'succeeded' ? status.serverGroup?.name : undefined;
  switch (operation.type) {
    case 'createServerGroup':
      return { type: 'serverGroup', id: at(operation, created ?? operation.application) };
    case 'cloneServerGroup':
      return { type: 'serverGroup', id: at(operation, created ?? operation.source) };
    case 'resizeServerGroup':
    case 'enableServerGroup':
    case 'disableServerGroup':
    case 'destroyServerGroup':
      return { type: 'serverGroup', id: at(operation, operation.serverGroup) };
    case 'terminateInstances':
      return { type: 'instances', id: at(operation, operation.instanceIds.join(',')) };
    case 'upsertLoadBalancer':
    case 'deleteLoadBalancer':
      return { type: 'loadBalancer', id: at(operation, operation.name) };
    case 'setTrafficWeights':
      return { type: 'loadBalancer', id: at(operation, operation.loadBalancer) };
    default:
      return unreachable(operation);
  }
}

/** What the audit event of a finished cloud operation says: the request and how it ended (not the whole resource). */
export function cloudOperationSummary(operation: CloudOperation, status: Finished): Record<string, unknown> {
  const outcome = status.state === 'failed' ? { state: status.state, code: status.code, message: status.message } : { state: status.state };
  return { operation, outcome };
}

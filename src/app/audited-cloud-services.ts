import { cloudOperationSummary, cloudOperationTarget } from '../core/audit/cloud-operation.js';
import type { AuditRecorder } from '../core/audit/event.js';
import type { CloudServices } from '../engine/cloud-services.js';
import type { Store } from '../store/store.js';

/**
 * The cloud with every operation recorded in the audit trail once it finishes, as done by the user who
 * triggered the execution and linked to it. Stages build client tokens from their idempotency key,
 * which starts with the execution id. The stage waits for the record, so no infrastructure change
 * goes on unrecorded; a retried operation (same token) is recorded again, marked by the same token.
 */
export function auditedCloudServices(cloud: CloudServices, store: Store, audit: AuditRecorder): CloudServices {
  return {
    ...cloud,
    execute: async (clientToken, operation) => {
      const status = await cloud.execute(clientToken, operation);
      const executionId = clientToken.split('/')[0] ?? clientToken;
      const execution = (await store.executions.load(executionId))?.execution;
      await audit.record({
        actor: execution?.trigger.user ?? 'system',
        action: `cloud.${operation.type}`,
        target: cloudOperationTarget(operation, status),
        summary: { ...cloudOperationSummary(operation, status), operationKey: clientToken },
        ...(execution && { executionId: execution.id, application: execution.application }),
      });
      return status;
    },
  };
}

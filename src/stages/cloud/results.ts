import type { TaskResult } from '../../core/execution/index.js';
import type { ErrorCode } from '../../core/errors.js';
import type { FinishedOperation } from '../../engine/cloud-services.js';

/** A task that ends its stage with a registered error code (the cloud's own, or the deploy's). */
export function failedWith(code: ErrorCode | string, message: string, context?: Record<string, unknown>): TaskResult {
  return { kind: 'terminal', failure: { code, message }, ...(context ? { context } : {}) };
}

/** An operation that did not succeed, as a stage failure naming what was tried. */
export function operationFailed(what: string, status: Extract<FinishedOperation, { state: 'failed' }>): TaskResult {
  return failedWith(status.code, `${what}: ${status.message}`);
}

/** How long one task run waits on the inventory before handing back to the engine, so progress stays durable. */
export const waitSliceMs = 30_000;

/** A stage that will not act (unknown account, nothing to act on, a traffic guard), naming the stage. */
export function refusedBy(stageType: string, reason: string): TaskResult {
  return failedWith('GNK_E_OPERATION_REFUSED', `${stageType}: ${reason}`);
}

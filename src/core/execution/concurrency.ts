/** A pipeline's concurrency settings (§4.2 of the Spinnaker notes). */
export interface ConcurrencyPolicy {
  readonly limitConcurrent: boolean;
  readonly keepWaitingPipelines: boolean;
  readonly maxConcurrentExecutions: number;
}

/** Whether a new execution must wait, given how many of the same pipeline are active. */
export function mustWait(policy: ConcurrencyPolicy, activeCount: number): boolean {
  if (policy.limitConcurrent) return activeCount >= 1;
  return policy.maxConcurrentExecutions > 0 && activeCount >= policy.maxConcurrentExecutions;
}

export interface WaitingExecution {
  readonly id: string;
  readonly buildTime: number;
}

/**
 * Which waiting executions start when one finishes. keepWaitingPipelines: oldest first, as many as
 * fit. Otherwise only the newest starts and the older ones are canceled as superseded.
 */
export function waitingDecision(
  policy: ConcurrencyPolicy,
  activeCount: number,
  waiting: readonly WaitingExecution[],
): { readonly start: string[]; readonly cancel: string[] } {
  const oldestFirst = [...waiting].sort((a, b) => a.buildTime - b.buildTime || a.id.localeCompare(b.id));
  const capacity = policy.limitConcurrent
    ? Math.max(0, 1 - activeCount)
    : policy.maxConcurrentExecutions > 0
      ? Math.max(0, policy.maxConcurrentExecutions - activeCount)
      : oldestFirst.length;
  if (policy.keepWaitingPipelines) return { start: oldestFirst.slice(0, capacity).map((e) => e.id), cancel: [] };
  if (capacity === 0 || oldestFirst.length === 0) return { start: [], cancel: [] };
  const newest = oldestFirst[oldestFirst.length - 1]!;
  return { start: [newest.id], cancel: oldestFirst.slice(0, -1).map((e) => e.id) };
}

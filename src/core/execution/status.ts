/**
 * Spinnaker's ExecutionStatus, shared by executions, stages and tasks. Every predicate about statuses
 * lives here, each written as an exhaustive switch so a new status cannot be forgotten anywhere.
 *
 * One deliberate difference from Spinnaker: STOPPED is not "successful". It means "this branch halted";
 * whether that fails the execution is decided by the stage's `onFailure` (see final-status.ts).
 */
export const executionStatuses = [
  'NOT_STARTED',
  'BUFFERED',
  'RUNNING',
  'PAUSED',
  'SUSPENDED',
  'SUCCEEDED',
  'FAILED_CONTINUE',
  'TERMINAL',
  'CANCELED',
  'STOPPED',
  'SKIPPED',
] as const;

export type ExecutionStatus = (typeof executionStatuses)[number];

export function unreachable(value: never): never {
  throw new Error(`unhandled case: ${JSON.stringify(value)}`);
}

/** Finished: nothing more will happen unless an operator restarts it. */
export function isComplete(status: ExecutionStatus): boolean {
  switch (status) {
    case 'SUCCEEDED':
    case 'FAILED_CONTINUE':
    case 'TERMINAL':
    case 'CANCELED':
    case 'STOPPED':
    case 'SKIPPED':
      return true;
    case 'NOT_STARTED':
    case 'BUFFERED':
    case 'RUNNING':
    case 'PAUSED':
    case 'SUSPENDED':
      return false;
    default:
      return unreachable(status);
  }
}

/** Finished in a way that stops what depends on it. */
export function isHalt(status: ExecutionStatus): boolean {
  switch (status) {
    case 'TERMINAL':
    case 'CANCELED':
    case 'STOPPED':
      return true;
    case 'SUCCEEDED':
    case 'FAILED_CONTINUE':
    case 'SKIPPED':
    case 'NOT_STARTED':
    case 'BUFFERED':
    case 'RUNNING':
    case 'PAUSED':
    case 'SUSPENDED':
      return false;
    default:
      return unreachable(status);
  }
}

/** Finished so that downstream stages may run. */
export function letsDownstreamRun(status: ExecutionStatus): boolean {
  switch (status) {
    case 'SUCCEEDED':
    case 'FAILED_CONTINUE':
    case 'SKIPPED':
      return true;
    case 'TERMINAL':
    case 'CANCELED':
    case 'STOPPED':
    case 'NOT_STARTED':
    case 'BUFFERED':
    case 'RUNNING':
    case 'PAUSED':
    case 'SUSPENDED':
      return false;
    default:
      return unreachable(status);
  }
}

/** Started and not finished: work is in flight or parked. */
export function isActive(status: ExecutionStatus): boolean {
  switch (status) {
    case 'RUNNING':
    case 'PAUSED':
    case 'SUSPENDED':
      return true;
    case 'NOT_STARTED':
    case 'BUFFERED':
    case 'SUCCEEDED':
    case 'FAILED_CONTINUE':
    case 'TERMINAL':
    case 'CANCELED':
    case 'STOPPED':
    case 'SKIPPED':
      return false;
    default:
      return unreachable(status);
  }
}

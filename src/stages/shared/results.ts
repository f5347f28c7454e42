import type { StageFailure, TaskResult } from '../../core/execution/index.js';

type Details = StageFailure['details'];

/** A task that failed for a reason of its own (a webhook answered 404, a job exited 3). */
export function taskFailed(message: string, context?: Record<string, unknown>, details?: Details): TaskResult {
  return { kind: 'terminal', failure: { code: 'GNK_E_TASK_FAILED', message, ...(details ? { details } : {}) }, ...(context ? { context } : {}) };
}

/** A task that ran out of time it measures itself (the engine reports the timeouts it enforces). */
export function taskTimedOut(message: string, context?: Record<string, unknown>, details?: Details): TaskResult {
  return { kind: 'terminal', failure: { code: 'GNK_E_TASK_TIMEOUT', message, ...(details ? { details } : {}) }, ...(context ? { context } : {}) };
}

export function running(backoffMs: number, context?: Record<string, unknown>): TaskResult {
  return context ? { kind: 'running', backoffMs, context } : { kind: 'running', backoffMs };
}

/** Stage context values are JSON; this reads a map without trusting it to be one. */
export function mapAt(value: unknown): Readonly<Record<string, unknown>> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

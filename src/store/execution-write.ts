import type { ExecutionState, Transition } from '../core/execution/index.js';
import type { QueuedMessage } from './queue.js';

/** A new execution with its first messages; refused when its id exists. */
export interface ExecutionInsert {
  readonly kind: 'insert';
  readonly state: ExecutionState;
  readonly messages: readonly QueuedMessage[];
}

/** One transition to commit: the version it was computed from, and the messages it consumed. */
export interface TransitionCommit {
  readonly kind: 'transition';
  readonly expectedVersion: number;
  readonly transition: Transition;
  readonly consumedMessageIds: readonly string[];
  readonly newMessages: readonly QueuedMessage[];
  /**
   * Set when the transition starts a run of a pipeline with a concurrency limit: it applies only if
   * fewer than `limit` runs of that pipeline are active when it commits, so processes starting runs at
   * the same moment cannot both exceed the limit. Refused, it counts as a version conflict.
   */
  readonly concurrencyLimit?: { readonly pipelineConfigId: string; readonly limit: number };
}

export type ExecutionWrite = ExecutionInsert | TransitionCommit;

/** The execution a write is about. */
export function executionIdOf(write: ExecutionWrite): string {
  return write.kind === 'insert' ? write.state.execution.id : write.transition.execution.id;
}

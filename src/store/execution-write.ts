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
}

export type ExecutionWrite = ExecutionInsert | TransitionCommit;

/** The execution a write is about. */
export function executionIdOf(write: ExecutionWrite): string {
  return write.kind === 'insert' ? write.state.execution.id : write.transition.execution.id;
}

import type { OperationStatus } from '../core/cloud/index.js';

type Finished = Exclude<OperationStatus, { state: 'running' }>;

/**
 * Callers waiting for operations to finish, resolved by `operationFinished` changes: nobody polls. A
 * waiter is registered before the operation is sent, so a finish that overtakes the answer is not lost.
 */
export class OperationWaiters {
  private readonly waiting = new Map<string, Array<(status: Finished) => void>>();

  /** A promise for the token's final status, and a function that forgets it (no finish will come). */
  register(clientToken: string): { finished: Promise<Finished>; cancel: () => void } {
    let resolveWaiter!: (status: Finished) => void;
    const finished = new Promise<Finished>((resolve) => (resolveWaiter = resolve));
    this.waiting.set(clientToken, [...(this.waiting.get(clientToken) ?? []), resolveWaiter]);
    const cancel = (): void => {
      const rest = (this.waiting.get(clientToken) ?? []).filter((waiter) => waiter !== resolveWaiter);
      if (rest.length === 0) this.waiting.delete(clientToken);
      else this.waiting.set(clientToken, rest);
    };
    return { finished, cancel };
  }

  /** Resolves everyone waiting for this status's token; `true` when someone was. */
  finish(status: OperationStatus): boolean {
    if (status.state === 'running') return false;
    const waiters = this.waiting.get(status.clientToken);
    if (!waiters) return false;
    this.waiting.delete(status.clientToken);
    for (const waiter of waiters) waiter(status);
    return true;
  }

  tokens(): string[] {
    return [...this.waiting.keys()];
  }
}

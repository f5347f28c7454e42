import type { AuditEvent } from '../core/audit/chain.js';
import { auditDraft } from '../core/audit/draft.js';
import type { AuditEventInput, AuditRecorder } from '../core/audit/event.js';
import type { Store } from '../store/store.js';

/**
 * The audit trail of this process. Appends run one after another (the store serialises them across
 * processes), and `record` resolves once the event is committed. Listeners (the webhook sink) hear of
 * each appended event but are never waited for.
 */
export class AuditTrail implements AuditRecorder {
  readonly #store: Store;
  readonly #clock: () => number;
  readonly #listeners: ((event: AuditEvent) => void)[] = [];
  #tail: Promise<unknown> = Promise.resolve();

  constructor(store: Store, clock: () => number = Date.now) {
    this.#store = store;
    this.#clock = clock;
  }

  record(input: AuditEventInput): Promise<void> {
    const appended = this.#tail.then(() => this.#store.audit.append(auditDraft(input, this.#clock())));
    this.#tail = appended.catch(() => undefined);
    return appended.then((event) => {
      for (const listener of this.#listeners) listener(event);
    });
  }

  onAppended(listener: (event: AuditEvent) => void): void {
    this.#listeners.push(listener);
  }

  /** Resolves once every append already asked for has settled. */
  async drain(): Promise<void> {
    await this.#tail;
  }
}

import type { AuditEvent } from '../core/audit/chain.js';
import { retryDelayMs } from '../core/audit/webhook-retry.js';
import type { Secret } from '../core/secret.js';
import type { Logger } from '../log/logger.js';
import type { Store } from '../store/store.js';

export interface AuditWebhookOptions {
  readonly url: string;
  readonly headers: Readonly<Record<string, Secret>>;
  readonly timeoutMs: number;
  readonly minRetryMs: number;
  readonly maxRetryMs: number;
}

/** The cursor's name in audit_sink_cursors. */
export const webhookSink = 'webhook';
const batchSize = 100;
/** Events other processes append are noticed this often; this process's own wake the sink at once. */
const idleCheckMs = 2_000;

/**
 * Delivers every audit event, in seq order, to an HTTP endpoint: POST with the event as JSON, any 2xx
 * accepts it. A failure is retried with capped exponential backoff, for ever; nothing else waits for
 * it. The last delivered seq is stored after each delivery, so a restart resumes after it. Delivery is
 * at least once (a crash between the POST and the cursor write sends that event again): receivers
 * deduplicate by `seq`.
 */
export class AuditWebhookSink {
  readonly #store: Store;
  readonly #options: AuditWebhookOptions;
  readonly #logger: Logger;
  readonly #abort = new AbortController();
  #wake: (() => void) | undefined;
  #pending = false;
  #loop: Promise<void> | undefined;

  constructor(store: Store, options: AuditWebhookOptions, logger: Logger) {
    this.#store = store;
    this.#options = options;
    this.#logger = logger.child({ component: 'audit-webhook' });
  }

  start(): void {
    this.#loop ??= this.#run();
  }

  /** A new event is stored: deliver it without waiting for the next idle check. */
  notify(): void {
    this.#pending = true;
    this.#wake?.();
  }

  async stop(): Promise<void> {
    this.#abort.abort();
    this.#wake?.();
    await this.#loop;
  }

  /** Runs until stopped; a store that fails (a restarting database) is retried like the endpoint is. */
  async #run(): Promise<void> {
    for (let storeFailures = 0; !this.#abort.signal.aborted; ) {
      try {
        await this.#deliverStored();
        return;
      } catch (error) {
        if (this.#abort.signal.aborted) return;
        storeFailures++;
        const delayMs = retryDelayMs(storeFailures, this.#options.minRetryMs, this.#options.maxRetryMs);
        this.#logger.warn({ err: error, retryInMs: delayMs }, 'the audit webhook sink cannot read the store; retrying');
        await this.#sleep(delayMs, { wakeable: false });
      }
    }
  }

  async #deliverStored(): Promise<void> {
    let cursor = await this.#store.audit.sinkCursor(webhookSink);
    while (!this.#abort.signal.aborted) {
      this.#pending = false;
      const events = await this.#store.audit.list({ afterSeq: cursor, limit: batchSize });
      for (const event of events) {
        if (!(await this.#deliverUntilAccepted(event))) return;
        cursor = event.seq;
        await this.#store.audit.advanceSinkCursor(webhookSink, cursor);
      }
      if (events.length < batchSize && !this.#pending) await this.#sleep(idleCheckMs);
    }
  }

  /** False when stopped first. */
  async #deliverUntilAccepted(event: AuditEvent): Promise<boolean> {
    for (let failures = 0; !this.#abort.signal.aborted; ) {
      const problem = await this.#post(event);
      if (problem === undefined) return true;
      failures++;
      const delayMs = retryDelayMs(failures, this.#options.minRetryMs, this.#options.maxRetryMs);
      this.#logger.warn({ seq: event.seq, problem, failures, retryInMs: delayMs }, 'audit webhook delivery failed; retrying');
      await this.#sleep(delayMs, { wakeable: false });
    }
    return false;
  }

  /** Undefined when the endpoint accepted the event, else what went wrong. */
  async #post(event: AuditEvent): Promise<string | undefined> {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    for (const [name, value] of Object.entries(this.#options.headers)) headers[name] = value.reveal();
    try {
      const response = await fetch(this.#options.url, {
        method: 'POST',
        headers,
        body: JSON.stringify(event),
        signal: AbortSignal.any([this.#abort.signal, AbortSignal.timeout(this.#options.timeoutMs)]),
      });
      await response.body?.cancel();
      return response.ok ? undefined : `HTTP ${response.status}`;
    } catch (error) {
      return error instanceof Error ? error.message : String(error);
    }
  }

  /** Waits `ms`, or less when stopped or (if wakeable) when a new event arrives. */
  #sleep(ms: number, { wakeable = true } = {}): Promise<void> {
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        this.#abort.signal.removeEventListener('abort', done);
        this.#wake = undefined;
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.#abort.signal.addEventListener('abort', done);
      if (wakeable) this.#wake = done;
    });
  }
}

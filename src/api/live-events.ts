import { randomBytes } from 'node:crypto';
import type { EventEmitter } from 'node:events';
import type { EngineEvent } from '../core/execution/index.js';
import type { ResourceChange } from '../core/cloud/index.js';
import { EventJournal, liveEventOfEngine, liveEventOfResource, type JournalEntry, type LiveEvent, type Resume } from '../core/live/index.js';

export interface LiveEventSources {
  readonly engine: EventEmitter<{ event: [EngineEvent] }>;
  readonly inventory: EventEmitter<{ change: [ResourceChange] }>;
}

export interface LiveSubscription {
  readonly resume: Resume<LiveEvent>;
  /** The newest id at the moment of subscribing: where a client told to reset stands. */
  readonly latestId: string;
  unsubscribe(): void;
}

/** Events kept for clients that reconnect: a few MiB (tens when server groups with many instances churn). */
export const defaultJournalCapacity = 10_000;

/**
 * Collects the engine's and the inventory's events into one journal with stream ids, and hands every
 * new entry to the open streams. One listener on each source however many clients are connected.
 */
export class LiveEventHub {
  readonly #journal: EventJournal<LiveEvent>;
  readonly #subscribers = new Set<(entry: JournalEntry<LiveEvent>) => void>();
  readonly #sources: LiveEventSources;
  readonly #onEngine = (event: EngineEvent): void => {
    const live = liveEventOfEngine(event);
    if (live !== undefined) this.#publish(live);
  };
  readonly #onInventory = (change: ResourceChange): void => this.#publish(liveEventOfResource(change));

  constructor(sources: LiveEventSources, capacity = defaultJournalCapacity) {
    this.#sources = sources;
    // Random per process start: an id from before a restart names another boot and earns a reset.
    this.#journal = new EventJournal(randomBytes(6).toString('base64url'), capacity);
  }

  start(): void {
    this.#sources.engine.on('event', this.#onEngine);
    this.#sources.inventory.on('change', this.#onInventory);
  }

  stop(): void {
    this.#sources.engine.off('event', this.#onEngine);
    this.#sources.inventory.off('change', this.#onInventory);
    this.#subscribers.clear();
  }

  get subscriberCount(): number {
    return this.#subscribers.size;
  }

  /** What to send first for `lastEventId`, then every new entry to `listener` until unsubscribed. */
  subscribe(lastEventId: string | undefined, listener: (entry: JournalEntry<LiveEvent>) => void): LiveSubscription {
    const resume = this.#journal.resume(lastEventId);
    this.#subscribers.add(listener);
    return { resume, latestId: this.#journal.latestId, unsubscribe: () => this.#subscribers.delete(listener) };
  }

  #publish(event: LiveEvent): void {
    const entry = this.#journal.append(event);
    for (const subscriber of this.#subscribers) subscriber(entry);
  }
}

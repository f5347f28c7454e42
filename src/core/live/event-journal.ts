import { replayAfter } from '../cloud/change-replay.js';

/** One retained event: its place in this boot's sequence and its stream id (`<boot>.<seq>`). */
export interface JournalEntry<T> {
  readonly id: string;
  readonly seq: number;
  readonly event: T;
}

/**
 * What a client resuming after a `Last-Event-ID` is owed: the retained events after it, or a reset
 * when some it missed are gone (too old, from an earlier boot, or an id this server never issued), so
 * it must fetch the current state afresh.
 */
export type Resume<T> =
  | { readonly kind: 'live' }
  | { readonly kind: 'replay'; readonly entries: readonly JournalEntry<T>[] }
  | { readonly kind: 'reset'; readonly reason: ResetReason };

export type ResetReason = 'malformedId' | 'otherBoot' | 'tooOld';

/**
 * The recent history of a live event stream: a ring of the last `capacity` events, so memory stays
 * bounded however long the process runs. Ids carry the boot id, so an id from before a restart is
 * recognised as such instead of being confused with one of this boot's sequence numbers.
 */
export class EventJournal<T> {
  readonly #slots: (JournalEntry<T> | undefined)[];
  #lastSeq = 0;

  constructor(
    readonly bootId: string,
    readonly capacity: number,
  ) {
    if (!/^[A-Za-z0-9_-]+$/.test(bootId)) throw new Error(`boot id ${bootId} must be letters, digits, "_" or "-"`);
    if (!Number.isInteger(capacity) || capacity < 1) throw new Error(`journal capacity must be a positive integer, got ${capacity}`);
    this.#slots = new Array<JournalEntry<T> | undefined>(capacity);
  }

  /** The id of the newest event, or of the empty start of this boot's sequence. */
  get latestId(): string {
    return this.#idOf(this.#lastSeq);
  }

  get size(): number {
    return Math.min(this.#lastSeq, this.capacity);
  }

  append(event: T): JournalEntry<T> {
    this.#lastSeq += 1;
    const entry = { id: this.#idOf(this.#lastSeq), seq: this.#lastSeq, event };
    this.#slots[this.#lastSeq % this.capacity] = entry;
    return entry;
  }

  /** Retained events, oldest first. */
  retained(): JournalEntry<T>[] {
    const entries: JournalEntry<T>[] = [];
    for (let seq = this.#lastSeq - this.size + 1; seq <= this.#lastSeq; seq += 1) entries.push(this.#slots[seq % this.capacity]!);
    return entries;
  }

  /** What a client that last saw `lastEventId` (undefined: a new client) is sent before live events. */
  resume(lastEventId: string | undefined): Resume<T> {
    if (lastEventId === undefined) return { kind: 'live' };
    const separator = lastEventId.lastIndexOf('.');
    const seqText = lastEventId.slice(separator + 1);
    if (separator < 1 || !/^\d{1,15}$/.test(seqText)) return { kind: 'reset', reason: 'malformedId' };
    if (lastEventId.slice(0, separator) !== this.bootId) return { kind: 'reset', reason: 'otherBoot' };
    const replay = replayAfter(this.retained(), Number(seqText), this.#lastSeq);
    // A seq beyond the newest was never issued by this boot: as unknown as one from another.
    if (replay.gap) return { kind: 'reset', reason: Number(seqText) > this.#lastSeq ? 'otherBoot' : 'tooOld' };
    return { kind: 'replay', entries: replay.changes };
  }

  #idOf(seq: number): string {
    return `${this.bootId}.${seq}`;
  }
}

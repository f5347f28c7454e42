import type { CloudChange } from '../core/cloud/index.js';
import { replayAfter, type Replay } from '../core/cloud/index.js';

type ChangeWithoutSeq = CloudChange extends infer C ? (C extends CloudChange ? Omit<C, 'seq'> : never) : never;

/**
 * The daemon's change stream: every change gets the next seq and is kept in a bounded history for
 * consumers that reconnect. Seqs of one run start at the run's start time × 1000, so they grow across
 * restarts and a consumer resuming from an earlier run is told of the gap.
 */
export class ChangeLog {
  private readonly retained: CloudChange[] = [];
  private readonly listeners = new Set<(change: CloudChange) => void>();
  private lastSeq: number;

  constructor(
    startedAt: number,
    private readonly capacity: number = 10_000,
  ) {
    this.lastSeq = startedAt * 1000;
  }

  get latestSeq(): number {
    return this.lastSeq;
  }

  append(change: ChangeWithoutSeq): CloudChange {
    this.lastSeq += 1;
    const full = { ...change, seq: this.lastSeq } as CloudChange;
    this.retained.push(full);
    if (this.retained.length > this.capacity) this.retained.splice(0, this.retained.length - this.capacity);
    for (const listener of this.listeners) listener(full);
    return full;
  }

  /** The replay for `since`, then every new change to `listener` until the returned function is called. */
  subscribe(since: number | undefined, listener: (change: CloudChange) => void): { replay: Replay<CloudChange>; stop: () => void } {
    const replay = replayAfter(this.retained, since, this.lastSeq);
    this.listeners.add(listener);
    return { replay, stop: () => this.listeners.delete(listener) };
  }
}

import type { InstanceHealth } from './model.js';

/** What the capacity reconciler needs to know about one live instance. */
export interface LiveInstance {
  readonly id: string;
  readonly health: InstanceHealth;
  readonly launchedAt: number;
}

export interface CapacityDecision {
  /** How many new instances to launch now. */
  readonly launch: number;
  /** Instances to stop, in order. */
  readonly stop: readonly string[];
}

// Scale-in keeps the instances most likely to be serving: unhealthy ones go first, then ones not yet Up,
// then the newest (the oldest have proven themselves longest).
const stopPreference: Record<InstanceHealth, number> = { Down: 0, Starting: 1, OutOfService: 2, Up: 3 };

/**
 * Brings the live instances to the desired count, like an auto-scaling group: launches the shortfall
 * (no more than `maxLaunches`, so a crash-looping group is throttled by the caller's backoff) or stops the
 * surplus.
 */
export function reconcileCapacity(
  desired: number,
  live: readonly LiveInstance[],
  maxLaunches: number = Number.POSITIVE_INFINITY,
): CapacityDecision {
  if (live.length < desired) return { launch: Math.min(desired - live.length, maxLaunches), stop: [] };
  const surplus = live.length - desired;
  if (surplus === 0) return { launch: 0, stop: [] };
  const ordered = [...live].sort(
    (a, b) => stopPreference[a.health] - stopPreference[b.health] || b.launchedAt - a.launchedAt || a.id.localeCompare(b.id),
  );
  return { launch: 0, stop: ordered.slice(0, surplus).map((instance) => instance.id) };
}

const firstBackoffMs = 200;
const maxBackoffMs = 10_000;

/**
 * How long to wait before replacing an instance, given how many launches in a row failed (exited before
 * becoming Up): none after a healthy run, then doubling from 200 ms up to 10 s.
 */
export function replacementBackoffMs(consecutiveFailedLaunches: number): number {
  if (consecutiveFailedLaunches <= 0) return 0;
  return Math.min(maxBackoffMs, firstBackoffMs * 2 ** (consecutiveFailedLaunches - 1));
}

import type { HealthCheck } from './model.js';

/** An instance's own health as its probes see it; `OutOfService` is layered on top by the server group. */
export type ProbedHealth = 'Starting' | 'Up' | 'Down';

export interface HealthTracker {
  readonly state: ProbedHealth;
  /** Consecutive passes (positive) or failures (negative) since the last state change. */
  readonly streak: number;
}

export const initialHealth: HealthTracker = { state: 'Starting', streak: 0 };

/**
 * One probe result applied: `healthyThreshold` passes in a row make an instance Up, `unhealthyThreshold`
 * failures in a row make it Down (from Starting too: an instance that never answers is Down, not
 * forever Starting).
 */
export function applyProbe(
  tracker: HealthTracker,
  passed: boolean,
  thresholds: Pick<HealthCheck, 'healthyThreshold' | 'unhealthyThreshold'>,
): HealthTracker {
  if (passed) {
    const streak = tracker.streak > 0 ? tracker.streak + 1 : 1;
    if (tracker.state !== 'Up' && streak >= thresholds.healthyThreshold) return { state: 'Up', streak: 0 };
    return { state: tracker.state, streak: tracker.state === 'Up' ? 0 : streak };
  }
  const streak = tracker.streak < 0 ? tracker.streak - 1 : -1;
  if (tracker.state !== 'Down' && -streak >= thresholds.unhealthyThreshold) return { state: 'Down', streak: 0 };
  return { state: tracker.state, streak: tracker.state === 'Down' ? 0 : streak };
}

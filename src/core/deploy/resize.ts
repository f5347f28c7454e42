import type { Capacity } from '../cloud/model.js';

/**
 * Spinnaker's resizeServerGroup: an exact capacity, or a change of the current one by a percentage or a
 * number of instances, up or down.
 */
export type ResizeRequest =
  | { readonly kind: 'exact'; readonly capacity: Capacity }
  | { readonly kind: 'percentage'; readonly direction: 'up' | 'down'; readonly percent: number }
  | { readonly kind: 'number'; readonly direction: 'up' | 'down'; readonly instances: number };

/**
 * The capacity after a resize. Relative changes move min, desired and max by the same amount (a
 * percentage of each, rounded up, as Orca's ResizeStrategy does) and never go below 0.
 */
export function resizedCapacity(current: Capacity, request: ResizeRequest): Capacity {
  switch (request.kind) {
    case 'exact':
      return request.capacity;
    case 'percentage': {
      const sign = request.direction === 'up' ? 1 : -1;
      const change = (value: number): number => Math.max(0, value + sign * Math.ceil((value * request.percent) / 100));
      return { min: change(current.min), desired: change(current.desired), max: change(current.max) };
    }
    case 'number': {
      const change = request.direction === 'up' ? request.instances : -request.instances;
      const move = (value: number): number => Math.max(0, value + change);
      return { min: move(current.min), desired: move(current.desired), max: move(current.max) };
    }
  }
}

/** Instances a step of a rolling deploy runs: `percent` of the final desired size, rounded up, at least 1 when percent > 0. */
export function stepDesired(finalDesired: number, percent: number): number {
  if (percent <= 0) return 0;
  return Math.min(finalDesired, Math.max(1, Math.ceil((finalDesired * percent) / 100)));
}

import { GennakerError } from '../errors.js';
import type { ExecutionWindow } from './execution-window.js';

/**
 * The extra wait after the window opens, uniform over whole milliseconds from `minDelay` to
 * `maxDelay` seconds inclusive. `random01` is a number in [0, 1) supplied by the caller (the shell owns
 * randomness). No jitter when it is disabled, or when `skipManual` is set and a person started the run.
 *
 * As in Spinnaker the jitter is waited after the window check, so a long jitter can carry the stage
 * past the end of a short window.
 */
export function windowJitterMs(window: ExecutionWindow, random01: number, isManualTrigger: boolean): number {
  if (!(random01 >= 0 && random01 < 1)) {
    throw new GennakerError('GNK_E_INTERNAL', `windowJitterMs needs a random number in [0, 1), got ${random01}`);
  }
  const { enabled, minDelay, maxDelay, skipManual } = window.jitter;
  if (!enabled || (skipManual && isManualTrigger)) return 0;
  const minMs = minDelay * 1000;
  const spanMs = (maxDelay - minDelay) * 1000;
  return minMs + Math.floor(random01 * (spanMs + 1));
}

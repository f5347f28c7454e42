import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { GennakerError } from '../../src/core/errors.js';
import { parseExecutionWindow, windowJitterMs, type ExecutionWindow } from '../../src/core/time-rules/index.js';

function withJitter(jitter: Record<string, unknown>): ExecutionWindow {
  return parseExecutionWindow({ jitter });
}

const tenToSixHundred = withJitter({ enabled: true, minDelay: 10, maxDelay: 600, skipManual: false });

describe('windowJitterMs', () => {
  const cases: readonly { name: string; window: ExecutionWindow; random: number; manual: boolean; expected: number }[] = [
    { name: 'random 0 gives minDelay', window: tenToSixHundred, random: 0, manual: false, expected: 10_000 },
    { name: 'random 0.5 gives the middle', window: tenToSixHundred, random: 0.5, manual: false, expected: 10_000 + Math.floor(0.5 * 590_001) },
    { name: 'random just below 1 gives maxDelay', window: tenToSixHundred, random: 1 - Number.EPSILON, manual: false, expected: 600_000 },
    { name: 'equal min and max give exactly that', window: withJitter({ enabled: true, minDelay: 30, maxDelay: 30 }), random: 0.7, manual: false, expected: 30_000 },
    { name: 'disabled jitter is 0', window: withJitter({ enabled: false, minDelay: 10, maxDelay: 600 }), random: 0.5, manual: false, expected: 0 },
    { name: 'no jitter at all is 0', window: parseExecutionWindow({}), random: 0.5, manual: true, expected: 0 },
    { name: 'skipManual and a manual trigger give 0', window: withJitter({ enabled: true, minDelay: 10, maxDelay: 600, skipManual: true }), random: 0.5, manual: true, expected: 0 },
    { name: 'skipManual and an automatic trigger still jitter', window: withJitter({ enabled: true, minDelay: 10, maxDelay: 600, skipManual: true }), random: 0, manual: false, expected: 10_000 },
    { name: 'without skipManual a manual trigger jitters', window: tenToSixHundred, random: 0, manual: true, expected: 10_000 },
  ];
  for (const { name, window, random, manual, expected } of cases) {
    test(name, () => assert.equal(windowJitterMs(window, random, manual), expected));
  }

  test('every random number in [0, 1) lands within [minDelay, maxDelay] seconds, in whole milliseconds', () => {
    for (let step = 0; step < 1000; step++) {
      const jitter = windowJitterMs(tenToSixHundred, step / 1000, false);
      assert.ok(jitter >= 10_000 && jitter <= 600_000, `random ${step / 1000} gave ${jitter}`);
      assert.ok(Number.isInteger(jitter));
    }
  });

  for (const bad of [1, -0.1, Number.NaN]) {
    test(`a random number outside [0, 1) (${bad}) is a programming error`, () => {
      assert.throws(
        () => windowJitterMs(tenToSixHundred, bad, false),
        (error: unknown) => error instanceof GennakerError && error.code === 'GNK_E_INTERNAL',
      );
    });
  }
});

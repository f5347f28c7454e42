import { randomInt } from 'node:crypto';

/**
 * A small deterministic generator (mulberry32): the same seed gives the same numbers in [0, 1), so a
 * test that draws its random choices from it can be run again exactly.
 */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let mixed = Math.imul(state ^ (state >>> 15), state | 1);
    mixed ^= mixed + Math.imul(mixed ^ (mixed >>> 7), mixed | 61);
    return ((mixed ^ (mixed >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** The seed in GENNAKER_TEST_SEED, or a fresh one. Tests print it, so a failing run can be repeated. */
export function testSeed(): number {
  const given = process.env['GENNAKER_TEST_SEED'];
  if (given === undefined || given === '') return randomInt(2 ** 31);
  const seed = Number(given);
  if (!Number.isInteger(seed)) throw new Error(`GENNAKER_TEST_SEED must be an integer, not ${given}`);
  return seed;
}

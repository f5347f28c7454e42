import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  applyProbe,
  memberWeights,
  initialHealth,
  nextServerGroupName,
  reconcileCapacity,
  replacementBackoffMs,
  replayAfter,
  smoothWeightedPick,
  type HealthTracker,
  type WeightedCandidate,
} from '../../src/core/cloud/index.js';

function pickMany(candidates: readonly WeightedCandidate[], count: number): string[] {
  let scores: ReadonlyMap<string, number> = new Map();
  const picks: string[] = [];
  for (let i = 0; i < count; i++) {
    const pick = smoothWeightedPick(candidates, scores)!;
    picks.push(pick.key);
    scores = pick.scores;
  }
  return picks;
}

function tally(picks: readonly string[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const key of picks) counts[key] = (counts[key] ?? 0) + 1;
  return counts;
}

describe('smoothWeightedPick', () => {
  test('gives exact shares in every window of total-weight picks', () => {
    const candidates = [
      { key: 'a', weight: 90 },
      { key: 'b', weight: 10 },
    ];
    const picks = pickMany(candidates, 2000);
    for (let start = 0; start < 2000; start += 100) {
      assert.deepEqual(tally(picks.slice(start, start + 100)), { a: 90, b: 10 });
    }
  });

  test('interleaves instead of sending bursts', () => {
    assert.deepEqual(pickMany([{ key: 'a', weight: 5 }, { key: 'b', weight: 1 }, { key: 'c', weight: 1 }], 7), ['a', 'a', 'b', 'a', 'c', 'a', 'a']);
  });

  test('equal weights are round-robin', () => {
    assert.deepEqual(pickMany([{ key: 'x', weight: 1 }, { key: 'y', weight: 1 }, { key: 'z', weight: 1 }], 6), ['x', 'y', 'z', 'x', 'y', 'z']);
  });

  test('zero weights are never picked and all-zero picks nothing', () => {
    assert.deepEqual(tally(pickMany([{ key: 'a', weight: 0 }, { key: 'b', weight: 3 }], 9)), { b: 9 });
    assert.equal(smoothWeightedPick([{ key: 'a', weight: 0 }], new Map()), undefined);
    assert.equal(smoothWeightedPick([], new Map()), undefined);
  });

  test('a candidate that appears later joins without starving the others', () => {
    let scores: ReadonlyMap<string, number> = new Map();
    for (let i = 0; i < 5; i++) scores = smoothWeightedPick([{ key: 'a', weight: 1 }], scores)!.scores;
    const both = [{ key: 'a', weight: 1 }, { key: 'b', weight: 1 }];
    const picks: string[] = [];
    for (let i = 0; i < 10; i++) {
      const pick = smoothWeightedPick(both, scores)!;
      picks.push(pick.key);
      scores = pick.scores;
    }
    assert.deepEqual(tally(picks), { a: 5, b: 5 });
  });
});

describe('reconcileCapacity', () => {
  const instance = (id: string, health: HealthTracker['state'] | 'OutOfService', launchedAt: number) => ({ id, health, launchedAt });

  test('launches the shortfall, at most maxLaunches', () => {
    assert.deepEqual(reconcileCapacity(5, [instance('a', 'Up', 1)]), { launch: 4, stop: [] });
    assert.deepEqual(reconcileCapacity(5, [instance('a', 'Up', 1)], 1), { launch: 1, stop: [] });
  });

  test('does nothing at the desired count', () => {
    assert.deepEqual(reconcileCapacity(1, [instance('a', 'Up', 1)]), { launch: 0, stop: [] });
  });

  test('stops Down first, then Starting, then the newest Up', () => {
    const live = [instance('old', 'Up', 1), instance('new', 'Up', 9), instance('down', 'Down', 5), instance('starting', 'Starting', 2), instance('mid', 'Up', 5)];
    assert.deepEqual(reconcileCapacity(1, live).stop, ['down', 'starting', 'new', 'mid']);
    assert.deepEqual(reconcileCapacity(0, live).stop.length, 5);
  });

  test('backoff grows from nothing to a cap', () => {
    assert.deepEqual([0, 1, 2, 3, 10, 50].map(replacementBackoffMs), [0, 200, 400, 800, 10_000, 10_000]);
  });
});

describe('applyProbe', () => {
  const run = (results: readonly boolean[], healthyThreshold: number, unhealthyThreshold: number) =>
    results.reduce<HealthTracker>((tracker, passed) => applyProbe(tracker, passed, { healthyThreshold, unhealthyThreshold }), initialHealth).state;

  test('Starting becomes Up after healthyThreshold passes in a row', () => {
    assert.equal(run([true], 1, 2), 'Up');
    assert.equal(run([true], 2, 2), 'Starting');
    assert.equal(run([true, false, true], 2, 2), 'Starting');
    assert.equal(run([true, true], 2, 2), 'Up');
  });

  test('Up becomes Down after unhealthyThreshold failures in a row, and back Up', () => {
    assert.equal(run([true, false], 1, 2), 'Up');
    assert.equal(run([true, false, true, false], 1, 2), 'Up');
    assert.equal(run([true, false, false], 1, 2), 'Down');
    assert.equal(run([true, false, false, true], 1, 2), 'Up');
  });

  test('an instance that never answers is Down, not forever Starting', () => {
    assert.equal(run([false, false], 1, 2), 'Down');
  });
});

describe('nextServerGroupName', () => {
  test('v000 for a new cluster, then one after the group created last', () => {
    assert.equal(nextServerGroupName('hello', undefined, undefined, []), 'hello-v000');
    assert.equal(nextServerGroupName('hello', undefined, undefined, [{ name: 'hello-v000', createdAt: 1 }]), 'hello-v001');
    assert.equal(
      nextServerGroupName('hello', 'prod', undefined, [
        { name: 'hello-prod-v998', createdAt: 1 },
        { name: 'hello-prod-v999', createdAt: 2 },
        { name: 'hello-prod-v000', createdAt: 0 },
        { name: 'hello-v005', createdAt: 3 },
      ]),
      'hello-prod-v001',
    );
  });

  test('other clusters of the same application do not count', () => {
    assert.equal(nextServerGroupName('hello', undefined, 'canary', [{ name: 'hello-v004', createdAt: 1 }]), 'hello--canary-v000');
  });
});

describe('replayAfter', () => {
  const retained = [{ seq: 11 }, { seq: 12 }, { seq: 13 }];

  test('everything retained without a starting point', () => {
    assert.deepEqual(replayAfter(retained, undefined, 13), { gap: false, changes: retained });
  });

  test('only what follows since, with no gap when it is contiguous', () => {
    assert.deepEqual(replayAfter(retained, 10, 13), { gap: false, changes: retained });
    assert.deepEqual(replayAfter(retained, 12, 13), { gap: false, changes: [{ seq: 13 }] });
    assert.deepEqual(replayAfter(retained, 13, 13), { gap: false, changes: [] });
  });

  test('a gap when changes after since were dropped, or since is from another run', () => {
    assert.equal(replayAfter(retained, 9, 13).gap, true);
    assert.equal(replayAfter(retained, 99, 13).gap, true);
    assert.equal(replayAfter([], 5, 13).gap, true);
    assert.equal(replayAfter([], 13, 13).gap, false);
  });
});

describe('memberWeights', () => {
  test('90/10 over 2 and 1 instances keeps the 90/10 split within rounding', () => {
    const weights = memberWeights([{ weight: 90, members: ['a1', 'a2'] }, { weight: 10, members: ['b1'] }], 256);
    assert.deepEqual([...weights], [['a1', 256], ['a2', 256], ['b1', 57]]);
    const share = weights.get('b1')! / (weights.get('a1')! + weights.get('a2')! + weights.get('b1')!);
    assert.ok(Math.abs(share - 0.1) < 0.005, `share ${share}`);
  });

  test('zero weight and empty groups get nothing; tiny shares still get 1', () => {
    assert.deepEqual([...memberWeights([{ weight: 0, members: ['a'] }, { weight: 5, members: [] }, { weight: 1, members: ['c'] }], 256)], [['a', 0], ['c', 256]]);
    assert.equal(memberWeights([{ weight: 10_000, members: ['a'] }, { weight: 1, members: ['b'] }], 256).get('b'), 1);
  });
});

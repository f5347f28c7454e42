import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  clusterName,
  isValidAppName,
  nextSequence,
  parseMoniker,
  serverGroupName,
  type Moniker,
} from '../../src/core/cloud/moniker.js';

describe('parseMoniker (Frigga names)', () => {
  const table: ReadonlyArray<[string, Moniker]> = [
    ['checkout-v012', { app: 'checkout', cluster: 'checkout', sequence: 12 }],
    ['checkout-prod-v003', { app: 'checkout', stack: 'prod', cluster: 'checkout-prod', sequence: 3 }],
    [
      'checkout-prod-canary-v005',
      { app: 'checkout', stack: 'prod', detail: 'canary', cluster: 'checkout-prod-canary', sequence: 5 },
    ],
    ['checkout--canary-v000', { app: 'checkout', detail: 'canary', cluster: 'checkout--canary', sequence: 0 }],
    [
      'checkout-prod-us-east-blue',
      { app: 'checkout', stack: 'prod', detail: 'us-east-blue', cluster: 'checkout-prod-us-east-blue' },
    ],
    ['checkout', { app: 'checkout', cluster: 'checkout' }],
    ['checkout-prod', { app: 'checkout', stack: 'prod', cluster: 'checkout-prod' }],
    ['my_app.v2-v999', { app: 'my_app.v2', cluster: 'my_app.v2', sequence: 999 }],
    [
      'hello-prod-c0us-d0dev-v042',
      { app: 'hello', stack: 'prod', detail: 'c0us-d0dev', cluster: 'hello-prod-c0us-d0dev', sequence: 42 },
    ],
  ];
  for (const [name, expected] of table) {
    test(`${name} → ${JSON.stringify(expected)}`, () => {
      assert.deepEqual(parseMoniker(name), expected);
    });
  }

  test('the push must be v and exactly three digits; anything else belongs to the cluster name', () => {
    assert.deepEqual(parseMoniker('checkout-v12'), { app: 'checkout', stack: 'v12', cluster: 'checkout-v12' });
    assert.deepEqual(parseMoniker('checkout-v0123'), { app: 'checkout', stack: 'v0123', cluster: 'checkout-v0123' });
    assert.deepEqual(parseMoniker('checkout-V012'), { app: 'checkout', stack: 'V012', cluster: 'checkout-V012' });
  });

  test('names with characters Frigga does not allow are not monikers', () => {
    for (const name of ['', '-v001', 'check out-v001', 'checkout/prod-v001', 'app-st@ck-v001', 'app-prod-det ail-v001', 'ünïcode-v001']) {
      assert.equal(parseMoniker(name), undefined, `${JSON.stringify(name)} should not parse`);
    }
  });

  test('a name round-trips through clusterName and serverGroupName', () => {
    for (const name of ['checkout-v012', 'checkout-prod-v003', 'checkout-prod-canary-v005', 'checkout--canary-v000']) {
      const moniker = parseMoniker(name)!;
      assert.equal(clusterName(moniker.app, moniker.stack, moniker.detail), moniker.cluster);
      assert.equal(serverGroupName(moniker.cluster, moniker.sequence!), name);
    }
  });
});

describe('clusterName, serverGroupName, isValidAppName', () => {
  test('clusterName leaves out empty parts but keeps an empty stack before a detail', () => {
    assert.equal(clusterName('app'), 'app');
    assert.equal(clusterName('app', 'prod'), 'app-prod');
    assert.equal(clusterName('app', 'prod', 'canary'), 'app-prod-canary');
    assert.equal(clusterName('app', undefined, 'canary'), 'app--canary');
    assert.equal(clusterName('app', '', 'canary'), 'app--canary');
    assert.equal(clusterName('app', '', ''), 'app');
  });

  test('serverGroupName pads the push to three digits', () => {
    assert.equal(serverGroupName('app', 0), 'app-v000');
    assert.equal(serverGroupName('app-prod', 7), 'app-prod-v007');
    assert.equal(serverGroupName('app', 42), 'app-v042');
    assert.equal(serverGroupName('app', 999), 'app-v999');
  });

  test('application names use letters, digits, "." and "_" only', () => {
    for (const good of ['hello', 'Hello2', 'my.app', 'my_app']) assert.equal(isValidAppName(good), true, good);
    for (const bad of ['', 'my-app', 'my app', 'app/x', 'äpp']) assert.equal(isValidAppName(bad), false, bad);
  });
});

describe('nextSequence', () => {
  const none = new Set<number>();

  test('a new cluster starts at 000', () => {
    assert.equal(nextSequence(undefined, none), 0);
  });

  test('latest + 1', () => {
    assert.equal(nextSequence(0, new Set([0])), 1);
    assert.equal(nextSequence(41, new Set([41])), 42);
  });

  test('follows the latest group, not the highest number', () => {
    // v998 still runs, but v003 was created after the wrap: the next push is v004.
    assert.equal(nextSequence(3, new Set([998, 3])), 4);
  });

  test('wraps from v999 to v000', () => {
    assert.equal(nextSequence(999, new Set([999])), 0);
    assert.equal(serverGroupName('checkout-prod', nextSequence(999, new Set([999]))!), 'checkout-prod-v000');
  });

  test('wrapping skips numbers still taken', () => {
    assert.equal(nextSequence(999, new Set([999, 0, 1, 3])), 2);
    assert.equal(nextSequence(998, new Set([998, 999, 0])), 1);
  });

  test('skips taken numbers without wrapping', () => {
    assert.equal(nextSequence(5, new Set([5, 6, 7])), 8);
  });

  test('with no group left, the numbering still continues after the latest one', () => {
    assert.equal(nextSequence(12, none), 13);
  });

  test('only the latest taken: every other number is free, so the one after it', () => {
    const allButOne = new Set(Array.from({ length: 1000 }, (_, i) => i).filter((i) => i !== 500));
    assert.equal(nextSequence(700, allButOne), 500);
    assert.equal(nextSequence(undefined, allButOne), 500);
  });

  test('all 1,000 numbers taken → undefined', () => {
    const all = new Set(Array.from({ length: 1000 }, (_, i) => i));
    assert.equal(nextSequence(999, all), undefined);
    assert.equal(nextSequence(undefined, all), undefined);
  });
});

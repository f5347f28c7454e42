import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { GennakerError } from '../../src/core/errors.js';
import {
  activeFreezesFor,
  describeFreeze,
  freezeDecision,
  parseFreeze,
  type Freeze,
  type FreezeTarget,
} from '../../src/core/time-rules/index.js';

const HOUR = 3_600_000;
const NOW = Date.UTC(2026, 2, 2, 8);
const at = (hours: number): number => NOW + hours * HOUR;

function freeze(id: string, overrides: Partial<Freeze> = {}): Freeze {
  return { id, scope: { kind: 'global' }, reason: `reason ${id}`, createdBy: 'alice', startsAtMs: at(-1), ...overrides };
}

const checkout: FreezeTarget = { application: 'checkout', accounts: ['prod-us', 'prod-eu'] };

describe('activeFreezesFor: scope', () => {
  const cases: readonly { name: string; scope: Freeze['scope']; blocks: boolean }[] = [
    { name: 'a global freeze blocks every application', scope: { kind: 'global' }, blocks: true },
    { name: 'an application freeze blocks that application', scope: { kind: 'application', application: 'checkout' }, blocks: true },
    { name: 'application names compare without case', scope: { kind: 'application', application: 'Checkout' }, blocks: true },
    { name: 'an application freeze leaves other applications alone', scope: { kind: 'application', application: 'search' }, blocks: false },
    { name: 'an account freeze blocks a stage touching that account', scope: { kind: 'account', account: 'prod-eu' }, blocks: true },
    { name: 'an account freeze leaves other accounts alone', scope: { kind: 'account', account: 'staging' }, blocks: false },
    { name: 'account names are exact', scope: { kind: 'account', account: 'PROD-EU' }, blocks: false },
  ];
  for (const { name, scope, blocks } of cases) {
    test(name, () => {
      const found = activeFreezesFor([freeze('f', { scope })], checkout, NOW);
      assert.deepEqual(found.map((f) => f.id), blocks ? ['f'] : []);
    });
  }

  test('a stage touching no account is still blocked by global and application freezes', () => {
    const freezes = [
      freeze('g'),
      freeze('a', { scope: { kind: 'application', application: 'checkout' } }),
      freeze('acct', { scope: { kind: 'account', account: 'prod-us' } }),
    ];
    assert.deepEqual(activeFreezesFor(freezes, { application: 'checkout', accounts: [] }, NOW).map((f) => f.id), ['a', 'g']);
  });
});

describe('activeFreezesFor: time', () => {
  const cases: readonly { name: string; freeze: Freeze; blocks: boolean }[] = [
    { name: 'not yet started', freeze: freeze('f', { startsAtMs: at(1) }), blocks: false },
    { name: 'starting exactly now', freeze: freeze('f', { startsAtMs: NOW }), blocks: true },
    { name: 'ending later', freeze: freeze('f', { endsAtMs: at(2) }), blocks: true },
    { name: 'ending exactly now (the end is exclusive)', freeze: freeze('f', { endsAtMs: NOW }), blocks: false },
    { name: 'ended', freeze: freeze('f', { startsAtMs: at(-5), endsAtMs: at(-2) }), blocks: false },
    { name: 'open-ended, started long ago', freeze: freeze('f', { startsAtMs: at(-10_000) }), blocks: true },
  ];
  for (const { name, freeze: f, blocks } of cases) {
    test(name, () => assert.equal(activeFreezesFor([f], checkout, NOW).length, blocks ? 1 : 0));
  }

  test('overlapping freezes are all returned, oldest first', () => {
    const freezes = [freeze('b', { startsAtMs: at(-1) }), freeze('c', { startsAtMs: at(-1) }), freeze('a', { startsAtMs: at(-3) })];
    assert.deepEqual(activeFreezesFor(freezes, checkout, NOW).map((f) => f.id), ['a', 'b', 'c']);
  });
});

describe('freezeDecision', () => {
  test('nothing blocking: proceed', () => {
    const freezes = [freeze('later', { startsAtMs: at(3) }), freeze('other', { scope: { kind: 'application', application: 'search' } })];
    assert.deepEqual(freezeDecision(freezes, checkout, NOW), { kind: 'proceed' });
    assert.deepEqual(freezeDecision([], checkout, NOW), { kind: 'proceed' });
  });

  test('one freeze with an end: wait until it ends', () => {
    const decision = freezeDecision([freeze('f', { endsAtMs: at(2) })], checkout, NOW);
    assert.equal(decision.kind, 'wait');
    assert.equal(decision.kind === 'wait' && decision.untilMs, at(2));
  });

  test('onFreeze defaults to wait', () => {
    assert.equal(freezeDecision([freeze('f')], checkout, NOW).kind, 'wait');
  });

  const untilCases: readonly { name: string; freezes: Freeze[]; untilMs: number | undefined; blocking: string[] }[] = [
    {
      name: 'overlapping freezes: until the last one ends',
      freezes: [freeze('a', { endsAtMs: at(2) }), freeze('b', { scope: { kind: 'account', account: 'prod-us' }, endsAtMs: at(4) })],
      untilMs: at(4),
      blocking: ['a', 'b'],
    },
    {
      name: 'an open-ended blocking freeze: no end known',
      freezes: [freeze('a', { endsAtMs: at(2) }), freeze('b')],
      untilMs: undefined,
      blocking: ['a', 'b'],
    },
    {
      name: 'a scheduled freeze that starts before the current one ends extends the wait',
      freezes: [freeze('a', { endsAtMs: at(2) }), freeze('b', { startsAtMs: at(1), endsAtMs: at(5) })],
      untilMs: at(5),
      blocking: ['a'],
    },
    {
      name: 'a scheduled freeze starting exactly as the current one ends extends the wait',
      freezes: [freeze('a', { endsAtMs: at(2) }), freeze('b', { startsAtMs: at(2), endsAtMs: at(3) })],
      untilMs: at(3),
      blocking: ['a'],
    },
    {
      name: 'a scheduled open-ended freeze that takes over means no end is known',
      freezes: [freeze('a', { endsAtMs: at(2) }), freeze('b', { startsAtMs: at(1) })],
      untilMs: undefined,
      blocking: ['a'],
    },
    {
      name: 'a scheduled freeze after a gap does not extend the wait',
      freezes: [freeze('a', { endsAtMs: at(2) }), freeze('b', { startsAtMs: at(3), endsAtMs: at(5) })],
      untilMs: at(2),
      blocking: ['a'],
    },
    {
      name: 'freezes for other applications do not extend the wait',
      freezes: [freeze('a', { endsAtMs: at(2) }), freeze('b', { scope: { kind: 'application', application: 'search' }, startsAtMs: at(1), endsAtMs: at(9) })],
      untilMs: at(2),
      blocking: ['a'],
    },
  ];
  for (const { name, freezes, untilMs, blocking } of untilCases) {
    test(name, () => {
      const decision = freezeDecision(freezes, checkout, NOW);
      assert.equal(decision.kind, 'wait');
      if (decision.kind !== 'wait') return;
      assert.equal(decision.untilMs, untilMs);
      assert.equal('untilMs' in decision, untilMs !== undefined);
      assert.deepEqual(decision.freezes.map((f) => f.id), blocking);
    });
  }

  test('any blocking freeze that says fail makes the stage fail, naming every blocking freeze', () => {
    const freezes = [
      freeze('wait-1', { scope: { kind: 'application', application: 'checkout' }, reason: 'quarter-end close', createdBy: 'bob', endsAtMs: at(2) }),
      freeze('fail-1', { scope: { kind: 'account', account: 'prod-eu' }, reason: 'incident 4711', createdBy: 'carol', onFreeze: 'fail', startsAtMs: at(-2) }),
    ];
    const decision = freezeDecision(freezes, checkout, NOW);
    assert.equal(decision.kind, 'fail');
    if (decision.kind !== 'fail') return;
    assert.deepEqual(decision.freezes.map((f) => f.id), ['fail-1', 'wait-1']);
    for (const expected of ['account prod-eu', 'incident 4711', 'carol', 'until lifted', 'fail-1', 'application checkout', 'quarter-end close', 'bob', new Date(at(2)).toISOString(), 'wait-1']) {
      assert.ok(decision.message.includes(expected), `message lacks "${expected}": ${decision.message}`);
    }
  });

  test('a fail freeze that does not apply, or has not started, does not fail the stage', () => {
    const freezes = [
      freeze('w', { endsAtMs: at(1) }),
      freeze('elsewhere', { scope: { kind: 'application', application: 'search' }, onFreeze: 'fail' }),
      freeze('soon', { startsAtMs: at(1), endsAtMs: at(2), onFreeze: 'fail' }),
    ];
    const decision = freezeDecision(freezes, checkout, NOW);
    assert.equal(decision.kind, 'wait');
    assert.equal(decision.kind === 'wait' && decision.untilMs, at(2));
  });

  test('the wait message names each blocking freeze', () => {
    const decision = freezeDecision([freeze('g', { reason: 'holiday freeze', createdBy: 'dave' })], checkout, NOW);
    assert.equal(decision.kind, 'wait');
    assert.equal(decision.kind === 'wait' && decision.message, `waiting for a freeze to lift: ${describeFreeze(freeze('g', { reason: 'holiday freeze', createdBy: 'dave' }))}`);
  });
});

describe('describeFreeze', () => {
  test('says scope, who, until when, which freeze and why', () => {
    assert.equal(
      describeFreeze(freeze('f-9', { scope: { kind: 'global' }, reason: 'Black Friday', createdBy: 'erin', endsAtMs: Date.UTC(2026, 10, 28) })),
      'everything frozen by erin until 2026-11-28T00:00:00.000Z (freeze f-9): Black Friday',
    );
  });
});

describe('parseFreeze', () => {
  test('accepts a well-formed freeze', () => {
    const input = { id: 'f1', scope: { kind: 'account', account: 'prod' }, reason: 'audit', createdBy: 'ops', startsAtMs: 1, endsAtMs: 2, onFreeze: 'fail' };
    assert.deepEqual(parseFreeze(input), input);
  });

  const rejected: readonly { name: string; input: Record<string, unknown>; path: string; expected: RegExp }[] = [
    { name: 'an end before the start', input: { endsAtMs: 5, startsAtMs: 10 }, path: 'freezes[0].endsAtMs', expected: /after startsAtMs/ },
    { name: 'an unknown scope kind', input: { scope: { kind: 'region', region: 'eu' } }, path: 'freezes[0].scope.kind', expected: /'global', 'application' or 'account'/ },
    { name: 'an application scope without a name', input: { scope: { kind: 'application', application: ' ' } }, path: 'freezes[0].scope.application', expected: /application name/ },
    { name: 'an empty reason', input: { reason: '' }, path: 'freezes[0].reason', expected: /reason/ },
    { name: 'an unknown onFreeze', input: { onFreeze: 'pause' }, path: 'freezes[0].onFreeze', expected: /'wait' or 'fail'/ },
    { name: 'a start that is not epoch milliseconds', input: { startsAtMs: '2026-03-02' }, path: 'freezes[0].startsAtMs', expected: /epoch milliseconds/ },
  ];
  for (const { name, input, path, expected } of rejected) {
    test(`rejects ${name}`, () => {
      const base = { id: 'f1', scope: { kind: 'global' }, reason: 'r', createdBy: 'ops', startsAtMs: 1 };
      assert.throws(
        () => parseFreeze({ ...base, ...input }, { path: 'freezes[0]' }),
        (error: unknown) => {
          assert.ok(error instanceof GennakerError);
          assert.equal(error.code, 'GNK_E_VALIDATION');
          const detail = error.details.find((d) => d.path === path);
          assert.ok(detail, `no detail for ${path} in ${JSON.stringify(error.details)}`);
          assert.match(String(detail.expected), expected);
          return true;
        },
      );
    });
  }
});

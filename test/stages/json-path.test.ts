import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { readJsonPath } from '../../src/stages/shared/json-path.js';

const document = { status: { phase: 'Running', 'last-step': 'bake' }, items: [{ name: 'a' }, { name: 'b', tags: ['x', 'y'] }], 'odd key': 1, zero: 0 };

describe('readJsonPath', () => {
  const found: readonly [string, unknown][] = [
    ['$', document],
    ['$.status.phase', 'Running'],
    ['status.phase', 'Running'],
    ['$.status.last-step', 'bake'],
    ["$['odd key']", 1],
    ['$["status"]["phase"]', 'Running'],
    ['$.items[1].name', 'b'],
    ['items[1].tags[0]', 'x'],
    ['$.zero', 0],
  ];
  for (const [path, value] of found) {
    test(`${path} finds ${JSON.stringify(value).slice(0, 30)}`, () => assert.deepEqual(readJsonPath(document, path), { found: true, value }));
  }

  const missing: readonly [string, string][] = [
    ['$.status.reason', '`$.status` has no key `reason`'],
    ['$.items[5]', '`$.items` has 2 items, so it has no item 5'],
    ['$.status[0]', '`$.status` is not a list, so it has no item 0'],
    ['$.zero.x', '`$.zero` is not an object, so it has no key `x`'],
    ['$.items[*].name', "`$.items[*].name` is not a supported JSON path (write $.a.b, a[0].b or $['a b']): unexpected `[` at column 8"],
    ['$..phase', "`$..phase` is not a supported JSON path (write $.a.b, a[0].b or $['a b']): unexpected `.` at column 3"],
    ['$.status.', "`$.status.` is not a supported JSON path (write $.a.b, a[0].b or $['a b']): it ends too early"],
    ['', "`` is not a supported JSON path (write $.a.b, a[0].b or $['a b']): it ends too early"],
  ];
  for (const [path, reason] of missing) {
    test(`${path || '(empty)'} finds nothing and says why`, () => assert.deepEqual(readJsonPath(document, path), { found: false, reason }));
  }

  test('inherited properties are not found', () => {
    assert.deepEqual(readJsonPath({}, '$.constructor'), { found: false, reason: '`$` has no key `constructor`' });
  });
});

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { revisionDiff } from '../../src/core/pipeline/revision-diff.js';

describe('the diff between two revisions of a pipeline', () => {
  test('identical documents, whatever their key order, have no changes', () => {
    assert.deepEqual(revisionDiff({}, {}), []);
    assert.deepEqual(revisionDiff({ a: 1, b: [1, { c: null }] }, { b: [1, { c: null }], a: 1 }), []);
    assert.deepEqual(revisionDiff('same', 'same'), []);
    assert.deepEqual(revisionDiff(undefined, undefined), []);
  });

  test('a changed leaf is one change at its path, with both values', () => {
    const before = { name: 'deploy', stages: [{ refId: '1', type: 'wait', waitTime: 30 }] };
    const after = { name: 'deploy', stages: [{ refId: '1', type: 'wait', waitTime: 60 }] };
    assert.deepEqual(revisionDiff(before, after), [{ kind: 'changed', path: '$.stages[0].waitTime', before: 30, after: 60 }]);
  });

  test('added and removed keys carry only the value that exists; keys come in sorted order', () => {
    assert.deepEqual(revisionDiff({ b: 1, keep: true }, { a: 2, keep: true }), [
      { kind: 'added', path: '$.a', after: 2 },
      { kind: 'removed', path: '$.b', before: 1 },
    ]);
  });

  test('arrays are compared by position: a longer list adds items at the end, a shorter one removes them', () => {
    assert.deepEqual(revisionDiff({ tags: ['a'] }, { tags: ['a', 'b', 'c'] }), [
      { kind: 'added', path: '$.tags[1]', after: 'b' },
      { kind: 'added', path: '$.tags[2]', after: 'c' },
    ]);
    assert.deepEqual(revisionDiff({ tags: ['a', 'b'] }, { tags: ['b'] }), [
      { kind: 'changed', path: '$.tags[0]', before: 'a', after: 'b' },
      { kind: 'removed', path: '$.tags[1]', before: 'b' },
    ]);
  });

  test('a whole stage added or removed is one change holding the stage', () => {
    const wait = { refId: '2', type: 'wait', waitTime: 5 };
    assert.deepEqual(revisionDiff({ stages: [] }, { stages: [wait] }), [{ kind: 'added', path: '$.stages[0]', after: wait }]);
    assert.deepEqual(revisionDiff({ stages: [wait] }, {}), [{ kind: 'removed', path: '$.stages', before: [wait] }]);
  });

  test('a value that changes shape (object, list, scalar, null) is one change, not a diff of its insides', () => {
    assert.deepEqual(revisionDiff({ x: { a: 1 } }, { x: [1] }), [{ kind: 'changed', path: '$.x', before: { a: 1 }, after: [1] }]);
    assert.deepEqual(revisionDiff({ x: [1] }, { x: { 0: 1 } }), [{ kind: 'changed', path: '$.x', before: [1], after: { 0: 1 } }]);
    assert.deepEqual(revisionDiff({ x: '1' }, { x: 1 }), [{ kind: 'changed', path: '$.x', before: '1', after: 1 }]);
    assert.deepEqual(revisionDiff({ x: null }, { x: { a: 1 } }), [{ kind: 'changed', path: '$.x', before: null, after: { a: 1 } }]);
    assert.deepEqual(revisionDiff({ x: {} }, { x: null }), [{ kind: 'changed', path: '$.x', before: {}, after: null }]);
  });

  test('null is a value, not an absence: a key set to null where it was missing is an addition', () => {
    assert.deepEqual(revisionDiff({}, { x: null }), [{ kind: 'added', path: '$.x', after: null }]);
  });

  test('whole documents that are scalars or missing diff at the root', () => {
    assert.deepEqual(revisionDiff(undefined, { a: 1 }), [{ kind: 'added', path: '$', after: { a: 1 } }]);
    assert.deepEqual(revisionDiff({ a: 1 }, undefined), [{ kind: 'removed', path: '$', before: { a: 1 } }]);
    assert.deepEqual(revisionDiff(1, 2), [{ kind: 'changed', path: '$', before: 1, after: 2 }]);
  });

  test('keys that are not identifiers are quoted in the path', () => {
    assert.deepEqual(revisionDiff({ env: { 'my-key': 'a' } }, { env: { 'my-key': 'b' } }), [{ kind: 'changed', path: '$.env["my-key"]', before: 'a', after: 'b' }]);
  });

  test('NaN equals itself and 0 differs from -0 (Object.is), so a re-save of the same numbers shows nothing', () => {
    assert.deepEqual(revisionDiff({ x: Number.NaN }, { x: Number.NaN }), []);
    assert.equal(revisionDiff({ x: 0 }, { x: -0 }).length, 1);
  });

  test('deeply nested changes name the full path, several at once in document order', () => {
    const before = { stages: [{ clusters: [{ capacity: { min: 1, max: 2 } }] }], triggers: [{ enabled: true }] };
    const after = { stages: [{ clusters: [{ capacity: { min: 2, max: 2, desired: 2 } }] }], triggers: [{ enabled: false }] };
    assert.deepEqual(revisionDiff(before, after), [
      { kind: 'added', path: '$.stages[0].clusters[0].capacity.desired', after: 2 },
      { kind: 'changed', path: '$.stages[0].clusters[0].capacity.min', before: 1, after: 2 },
      { kind: 'changed', path: '$.triggers[0].enabled', before: true, after: false },
    ]);
  });
});

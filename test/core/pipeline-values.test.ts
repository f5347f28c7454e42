import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { z } from 'zod';
import { closestMatch, editDistance } from '../../src/core/pipeline/did-you-mean.js';
import { GennakerError } from '../../src/core/errors.js';
import { invalidPipelineError } from '../../src/core/pipeline/invalid-pipeline-error.js';
import { describeValue, formatIssue, jsonPath } from '../../src/core/pipeline/issue.js';
import { booleanLike, isExpression, numberLike } from '../../src/core/pipeline/value-or-expression.js';

function messages(schema: z.ZodType, input: unknown): string[] {
  const parsed = schema.safeParse(input);
  return parsed.success ? [] : parsed.error.issues.map((issue) => issue.message);
}

describe('lenient value schemas', () => {
  test('an expression is a string holding ${…}', () => {
    assert.equal(isExpression('${parameters.x}'), true);
    assert.equal(isExpression('prefix-${trigger.tag}-suffix'), true);
    assert.equal(isExpression('$parameters.x'), false);
    assert.equal(isExpression('${'), false);
    assert.equal(isExpression(5), false);
  });

  test('numberLike reads numbers and numeric strings within bounds', () => {
    const schema = numberLike({ integer: true, min: 1, max: 10 });
    assert.equal(schema.parse(3), 3);
    assert.equal(schema.parse(' 7 '), 7);
    for (const input of [0, 11, 2.5, '2.5', 'seven', '', null, true, Number.NaN, Number.POSITIVE_INFINITY]) {
      assert.deepEqual(messages(schema, input), ['a whole number from 1 to 10'], `input ${String(input)}`);
    }
    assert.equal(numberLike().parse('1e3'), 1000);
    assert.deepEqual(messages(numberLike({ min: 0 }), -1), ['a number ≥ 0']);
    assert.deepEqual(messages(numberLike({ max: 5 }, 'at most five'), 6), ['at most five']);
  });

  test('booleanLike reads booleans and the strings "true" and "false" only', () => {
    assert.equal(booleanLike().parse('true'), true);
    assert.equal(booleanLike().parse(false), false);
    for (const input of ['yes', 1, 'TRUE', null]) assert.deepEqual(messages(booleanLike(), input), ['true or false']);
  });
});

describe('issue wording', () => {
  test('JSON paths quote keys that are not identifiers', () => {
    assert.equal(jsonPath([]), '$');
    assert.equal(jsonPath(['stages', 2, 'waitTime']), '$.stages[2].waitTime');
    assert.equal(jsonPath(['customHeaders', 'X-Token']), '$.customHeaders["X-Token"]');
  });

  test('values are quoted briefly; a missing value says so', () => {
    assert.equal(describeValue('soon'), '"soon"');
    assert.equal(describeValue(undefined), 'nothing (the field is missing)');
    assert.equal(describeValue(null), 'null');
    assert.equal(describeValue('x'.repeat(100)).length, 60);
    assert.match(describeValue('x'.repeat(100)), /…$/);
  });

  test('one line per issue, with the refId when in a stage', () => {
    const issue = { refId: '3', path: '$.stages[2].waitTime', expected: 'a number', message: 'expected a number, got "soon"' };
    assert.equal(formatIssue(issue), 'refId 3 at $.stages[2].waitTime: expected a number, got "soon"');
    assert.equal(formatIssue({ path: '$.name', expected: 'a name', message: 'expected a name, got 1' }), 'at $.name: expected a name, got 1');
  });

  test('an invalid pipeline becomes a coded error with one detail per issue', () => {
    const error = invalidPipelineError('checkout / "Deploy"', [
      { refId: '3', path: '$.stages[2].waitTime', expected: 'a number', message: 'expected a number, got "soon"' },
      { path: '$.name', expected: 'a name', message: 'expected a name, got 1' },
    ]);
    assert.ok(error instanceof GennakerError);
    assert.equal(error.code, 'GNK_E_PIPELINE_INVALID');
    assert.equal(error.kind, 'invalid_input');
    assert.equal(error.message, 'GNK_E_PIPELINE_INVALID: checkout / "Deploy" is not a valid pipeline (2 errors)');
    assert.deepEqual(error.details, [
      { refId: '3', path: '$.stages[2].waitTime', expected: 'a number', message: 'expected a number, got "soon"' },
      { path: '$.name', expected: 'a name', message: 'expected a name, got 1' },
    ]);
  });
});

describe('did you mean', () => {
  test('edit distance ignores case', () => {
    assert.equal(editDistance('waitTime', 'waittime'), 0);
    assert.equal(editDistance('waitTme', 'waitTime'), 1);
    assert.equal(editDistance('', 'abc'), 3);
    assert.equal(editDistance('failPipleine', 'failPipeline'), 1);
    assert.equal(editDistance('kitten', 'sitting'), 3);
  });

  test('suggests the closest known word when the typo is small for its length', () => {
    const known = ['waitTime', 'skipWaitText', 'name', 'type'];
    assert.equal(closestMatch('waitTme', known), 'waitTime');
    assert.equal(closestMatch('nmae', known), 'name');
    assert.equal(closestMatch('nmea', known), undefined);
    assert.equal(closestMatch('nam', known), 'name');
    assert.equal(closestMatch('isNew', known), undefined);
  });
});

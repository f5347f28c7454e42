import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  checkExpressionSyntax,
  evaluateDeep,
  evaluateExpression,
  executionFunctionNames,
  findExpressionSyntaxErrors,
  type ExpressionResult,
} from '../../src/core/expressions/index.js';

function valueOf(result: ExpressionResult): unknown {
  assert.ok(result.ok, `expected success, got ${JSON.stringify(result)}`);
  return result.value;
}

const scope = { variables: { tag: 'v1', env: 'prod' }, functions: { echo: (value: unknown) => value } };

describe('findExpressionSyntaxErrors', () => {
  test('a value whose expressions all parse has no errors, whatever they refer to', () => {
    const pipeline = {
      stages: [
        { refId: '1', type: 'wait', waitTime: '${ parameters.wait }' },
        { refId: '2', type: 'webhook', url: 'https://x/${#stage("Bake").outputs.id}', payload: { a: ['${ {"k": [1]} }'] } },
      ],
      description: 'no expressions here',
      count: 3,
    };
    assert.deepEqual(findExpressionSyntaxErrors(pipeline), []);
  });

  test('every broken expression is reported with its path, without evaluating anything', () => {
    const errors = findExpressionSyntaxErrors(
      {
        stages: [{ name: 'ok ${ a.b }' }, { url: 'https://${ host }/${ path + }', 'x-y': ['${ a | b }'] }],
        open: 'x ${ never closed',
      },
      { path: '$.pipeline' },
    );
    assert.deepEqual(errors, [
      { path: '$.pipeline.stages[1].url', expression: 'path +', reason: 'parse error at column 7: Expected expression after +' },
      { path: "$.pipeline.stages[1]['x-y'][0]", expression: 'a | b', reason: 'the operator `|` is not supported' },
      { path: '$.pipeline.open', expression: 'never closed', reason: 'the `${` at column 3 is never closed by a matching `}`' },
    ]);
  });

  test('with knownFunctions, calls to anything else are reported at save time', () => {
    const value = { a: "${ #stage('x').outputs.y }", b: "${ #stag('x') }", c: '${ #toJson(#judgment("j")) + #nope() }' };
    assert.deepEqual(findExpressionSyntaxErrors(value), []);
    const errors = findExpressionSyntaxErrors(value, { knownFunctions: executionFunctionNames });
    assert.deepEqual(
      errors.map(({ path, reason }) => ({ path, name: /`#(\w+)`/.exec(reason)?.[1] })),
      [
        { path: '$.b', name: 'stag' },
        { path: '$.c', name: 'nope' },
      ],
    );
    assert.match(errors[0]!.reason, /^function `#stag` is unknown \(functions: .*#stage, /);
  });

  test('checkExpressionSyntax checks one bare expression, wrapped or not', () => {
    assert.deepEqual(checkExpressionSyntax("parameters.env == 'prod'"), []);
    assert.deepEqual(checkExpressionSyntax('${ trigger.user != null }'), []);
    assert.deepEqual(checkExpressionSyntax('a ==', { path: '$.stageEnabled.expression' }), [
      { path: '$.stageEnabled.expression', expression: 'a ==', reason: 'parse error at column 5: Expected expression after ==' },
    ]);
    assert.equal(checkExpressionSyntax('#bar()', { knownFunctions: [] }).length, 1);
    assert.match(checkExpressionSyntax('T(java.lang.Math).random()', { knownFunctions: [] })[0]!.reason, /^function `#T` is unknown/);
  });

  test('unsupported forms are syntax errors', () => {
    const reasons = (source: string): string[] => checkExpressionSyntax(source).map((failure) => failure.reason);
    assert.deepEqual(reasons('a === b'), ['the operator `===` is not supported']);
    assert.deepEqual(reasons('~a'), ['the operator `~` is not supported']);
    assert.deepEqual(reasons('[1, , 2]'), ['a list has an empty item']);
    assert.deepEqual(reasons('a?.()'), ['`?.(` calls are not supported']);
    assert.deepEqual(reasons('a[0](1)'), ['only named functions (`#name(…)`) and methods (`value.name(…)`) can be called']);
    assert.deepEqual(reasons('{a: 1, a: 2}'), ['the map key `a` appears twice']);
    assert.deepEqual(reasons('{[1]: 2}'), ['map keys must be names, strings or numbers']);
    assert.deepEqual(reasons('{a: 1, 2}'), ['parse error at column 9: Expected ":" after a map key']);
    assert.deepEqual(reasons('{1, b: 2}'), ['parse error at column 6: Unexpected ":" in a list']);
    assert.deepEqual(reasons('{1 2}'), ['parse error at column 4: Expected "," or "}"']);
    assert.deepEqual(reasons('1e999'), ['the number 1e999 is out of range']);
    assert.deepEqual(reasons('@bean'), ['parse error at column 1: Unexpected "@"']);
  });
});

describe('the `#` prefix and string literals', () => {
  test('`#` before a name is dropped, so SpEL and plain calls mean the same', () => {
    assert.equal(valueOf(evaluateExpression("#echo('x') + echo('y')", scope)), 'xy');
    assert.equal(valueOf(evaluateExpression('#tag', scope)), 'v1');
  });

  test('`#` inside string literals is left alone, in either quote', () => {
    assert.equal(valueOf(evaluateExpression("#echo('#not-a-call(1)')", scope)), '#not-a-call(1)');
    assert.equal(valueOf(evaluateExpression('#echo("#tag")', scope)), '#tag');
    assert.equal(valueOf(evaluateExpression("'it''s #tag' + \"#env\"", scope)), "it's #tag#env");
    assert.equal(valueOf(evaluateExpression("'a\\'#tag'", scope)), "a'#tag");
    assert.deepEqual(valueOf(evaluateDeep({ channel: '#deploys: ${ #echo("#" + env) }' }, scope)), { channel: '#deploys: #prod' });
  });

  test('a `#` that is not before a name is a syntax error', () => {
    assert.deepEqual(
      checkExpressionSyntax('# tag').map((failure) => failure.reason),
      ['parse error at column 1: Unexpected "#"'],
    );
  });

  test('doubled quotes inside strings are SpEL escapes; `${` inside a string is text', () => {
    assert.equal(valueOf(evaluateExpression("'O''Neil'", scope)), "O'Neil");
    assert.equal(valueOf(evaluateExpression("''", scope)), '');
    assert.equal(valueOf(evaluateExpression("'' + ''''", scope)), "'");
    assert.equal(valueOf(evaluateDeep("${ 'costs ${x}' }", scope)), 'costs ${x}');
  });
});

describe('interpolation edge cases', () => {
  test('text around several expressions, adjacent expressions and dollar signs', () => {
    assert.equal(valueOf(evaluateDeep('${tag}${env}', scope)), 'v1prod');
    assert.equal(valueOf(evaluateDeep('$5 and $ {tag} and ${tag}$', scope)), '$5 and $ {tag} and v1$');
    assert.equal(valueOf(evaluateDeep('$${tag} ${tag}', scope)), '${tag} v1');
    assert.equal(valueOf(evaluateDeep('a ${ {"b": {"c": env}} } d', scope)), 'a {"b":{"c":"prod"}} d');
  });

  test('a lone `${ }` with only whitespace around keeps its type; anything else makes text', () => {
    assert.deepEqual(valueOf(evaluateDeep(['\n ${ [1] } \t', 'x${ [1] }', '${ 1 }${ 2 }'], scope)), [[1], 'x[1]', '12']);
  });
});

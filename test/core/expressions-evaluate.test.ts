import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  evaluateCondition,
  evaluateDeep,
  evaluateExpression,
  type ExpressionFailure,
  type ExpressionResult,
  type ExpressionScope,
} from '../../src/core/expressions/index.js';

const parameters = { env: 'prod', 'my-param': 'dashed', replicas: '3', deploy: 'true', empty: '' };
const scope: ExpressionScope = {
  variables: {
    trigger: { type: 'manual', user: 'ana', parameters },
    parameters,
    execution: { id: 'ex-1', application: 'shop', nothing: null },
    count: 3,
    ratio: 0.5,
    enabled: true,
    tags: ['a', 'b'],
    image: { name: 'shop', tag: 'v1', ports: [80, 443] },
  },
};

function valueOf(result: ExpressionResult): unknown {
  assert.ok(result.ok, `expected success, got ${JSON.stringify(result)}`);
  return result.value;
}

function failuresOf(result: ExpressionResult): readonly ExpressionFailure[] {
  assert.ok(!result.ok, `expected failure, got ${JSON.stringify(result)}`);
  return result.failures;
}

function evaluate(source: string): unknown {
  return valueOf(evaluateExpression(source, scope));
}

function reasonFor(source: string): string {
  const failures = failuresOf(evaluateExpression(source, scope));
  assert.equal(failures.length, 1);
  return failures[0]!.reason;
}

describe('typed results and interpolation', () => {
  test('a string that is exactly one expression keeps the value type', () => {
    const result = evaluateDeep(
      {
        number: '${ count }',
        float: '${ratio}',
        boolean: ' ${ enabled }  ',
        list: '${ tags }',
        map: '${ image }',
        nothing: '${ execution.nothing }',
        text: '${ parameters.env }',
      },
      scope,
    );
    assert.deepEqual(valueOf(result), {
      number: 3,
      float: 0.5,
      boolean: true,
      list: ['a', 'b'],
      map: { name: 'shop', tag: 'v1', ports: [80, 443] },
      nothing: null,
      text: 'prod',
    });
  });

  test('expressions inside text are written into it: lists and maps as JSON, null as nothing', () => {
    const result = evaluateDeep(
      [
        'deploy ${image.name}:${image.tag} to ${parameters.env}',
        'ports=${image.ports} tags=${tags}',
        'image=${ {"a": 1} }',
        'n=${count}, on=${enabled}, none=[${execution.nothing}]',
      ],
      scope,
    );
    assert.deepEqual(valueOf(result), [
      'deploy shop:v1 to prod',
      'ports=[80,443] tags=["a","b"]',
      'image={"a":1}',
      'n=3, on=true, none=[]',
    ]);
  });

  test('strings without expressions, numbers, booleans and null pass through; the input is not changed', () => {
    const input = { a: 'plain', b: 2, c: false, d: null, e: [{ f: '${count}' }] };
    const copy = structuredClone(input);
    assert.deepEqual(valueOf(evaluateDeep(input, scope)), { a: 'plain', b: 2, c: false, d: null, e: [{ f: 3 }] });
    assert.deepEqual(input, copy);
  });

  test('keys are not evaluated, and a `__proto__` key in stored JSON stays an ordinary key', () => {
    const input = JSON.parse('{"${count}": "${count}", "__proto__": {"polluted": "${enabled}"}}') as unknown;
    const value = valueOf(evaluateDeep(input, scope)) as Record<string, unknown>;
    assert.equal(value['${count}'], 3);
    assert.deepEqual(Object.getOwnPropertyDescriptor(value, '__proto__')?.value, { polluted: true });
    assert.equal(Object.getPrototypeOf(value), Object.prototype);
    assert.equal(({} as Record<string, unknown>)['polluted'], undefined);
  });

  test('a closing brace inside a string or a nested literal does not end the expression', () => {
    assert.deepEqual(
      valueOf(evaluateDeep(["${ 'a}b' }", '${ "}" + "{" }', "x${ #toJson({'a': {'b': 1}}) }y"], scope)),
      ['a}b', '}{', 'x{"a":{"b":1}}y'],
    );
  });

  test('`$${` writes a literal `${`, for scripts that use shell variables', () => {
    assert.equal(valueOf(evaluateDeep('echo $${HOME} and ${count} and $${PATH}', scope)), 'echo ${HOME} and 3 and ${PATH}');
  });

  test('the result never shares objects with the scope', () => {
    const value = valueOf(evaluateDeep('${ image }', scope)) as { ports: number[] };
    value.ports.push(8080);
    assert.deepEqual((scope.variables['image'] as { ports: number[] }).ports, [80, 443]);
  });
});

describe('failures name the path, the expression and the reason', () => {
  test('every failing expression is collected, with the JSON path of its string', () => {
    const result = evaluateDeep(
      {
        payload: { items: ['ok', 'fine', 'url=${ parameters.url }'], 'odd key': '${ nope }' },
        stages: [{ name: '${ 1 + }' }],
        twice: '${ a } and ${ b } and ${ count }',
      },
      scope,
      { path: '$.context' },
    );
    assert.deepEqual(
      failuresOf(result).map(({ path, expression }) => ({ path, expression })),
      [
        { path: "$.context.payload.items[2]", expression: 'parameters.url' },
        { path: "$.context.payload['odd key']", expression: 'nope' },
        { path: '$.context.stages[0].name', expression: '1 +' },
        { path: '$.context.twice', expression: 'a' },
        { path: '$.context.twice', expression: 'b' },
      ],
    );
  });

  test('a missing parameter fails loudly, listing the ones that exist', () => {
    assert.equal(
      reasonFor('parameters.region'),
      'property `region` does not exist on `parameters` (available: env, my-param, replicas, deploy, empty)',
    );
    assert.equal(
      reasonFor("trigger.parameters['region']"),
      'property `region` does not exist on `trigger.parameters` (available: env, my-param, replicas, deploy, empty)',
    );
  });

  test('an unknown variable fails, listing the variables', () => {
    assert.equal(reasonFor('foo'), 'unknown variable `foo` (available: trigger, parameters, execution, count, ratio, enabled, tags, image)');
    assert.match(failuresOf(evaluateExpression('x', { variables: {} }))[0]!.reason, /no variables are defined here/);
  });

  test('a function name used as a variable gets a hint', () => {
    assert.match(reasonFor('toJson'), /to call the function, write `#toJson\(…\)`/);
  });

  test('reading through null or past the end of a list is reported', () => {
    assert.equal(reasonFor('execution.nothing.id'), 'cannot read property `id` of null (`execution.nothing` is null)');
    assert.equal(reasonFor('tags[5]'), 'index 5 is out of range: `tags` has 2 items');
    assert.match(reasonFor("tags['a']"), /`tags` is a list, read by index/);
    assert.match(reasonFor('count.value'), /cannot read property `value` of `count`, which is a number 3/);
  });

  test('a parse error gives the column the user wrote, even after `#` is removed', () => {
    assert.equal(reasonFor('#toJson(count) +'), 'parse error at column 17: Expected expression after +');
    assert.equal(reasonFor('#toInt(#len(tags) +)'), 'parse error at column 20: Expected expression after +');
    assert.equal(reasonFor("'it''s' + "), 'parse error at column 10: Expected expression after +');
  });

  test('an unclosed `${` is reported with its column', () => {
    const [failure] = failuresOf(evaluateDeep({ a: 'x ${ count' }, scope));
    assert.deepEqual(failure, { path: '$.a', expression: 'count', reason: 'the `${` at column 3 is never closed by a matching `}`' });
  });

  test('an empty expression is an error', () => {
    assert.equal(failuresOf(evaluateDeep('${ }', scope))[0]!.reason, 'the expression is empty');
  });
});

describe('operators', () => {
  test('property access with dots and brackets', () => {
    assert.equal(evaluate('trigger.parameters.env'), 'prod');
    assert.equal(evaluate("parameters['my-param']"), 'dashed');
    assert.equal(evaluate('image["ports"][1]'), 443);
    assert.equal(evaluate('tags.length'), 2);
    assert.equal(evaluate('parameters.env[0]'), 'p');
  });

  test('comparisons on numbers and strings; equality is structural and never converts types', () => {
    assert.equal(evaluate('count == 3'), true);
    assert.equal(evaluate("count == '3'"), false);
    assert.equal(evaluate('count != 4'), true);
    assert.equal(evaluate('count < 4 && count <= 3 && count > 2 && count >= 3'), true);
    assert.equal(evaluate("'abc' < 'abd'"), true);
    assert.equal(evaluate("tags == ['a', 'b']"), true);
    assert.equal(evaluate("image == {name: 'shop', tag: 'v1', ports: [80, 443]}"), true);
    assert.equal(evaluate('execution.nothing == null'), true);
    assert.equal(
      reasonFor("count < '4'"),
      "`<` compares two numbers or two strings, but got a number 3 and a string '4'",
    );
  });

  test('SpEL word operators', () => {
    assert.equal(evaluate("parameters.env eq 'prod' and not (count gt 5) or false"), true);
    assert.equal(evaluate('count ne 3'), false);
    assert.equal(evaluate('count lt 4 and count le 3 and count ge 3'), true);
    assert.equal(evaluate('7 div 2'), 3.5);
    assert.equal(evaluate('7 mod 2'), 1);
  });

  test('a word operator is still a valid property name', () => {
    assert.equal(valueOf(evaluateExpression('m.and + m.or', { variables: { m: { and: 1, or: 2 } } })), 3);
  });

  test('boolean operators short-circuit', () => {
    assert.equal(evaluate('enabled || parameters.missing'), true);
    assert.equal(evaluate('!enabled && parameters.missing'), false);
  });

  test('conditions accept booleans and the strings true/false, because parameters are strings', () => {
    assert.equal(evaluate('parameters.deploy && enabled'), true);
    assert.equal(evaluate("!'FALSE'"), true);
    assert.equal(reasonFor('count && enabled'), 'the left side of `&&` must be true or false, but is a number 3');
    assert.equal(reasonFor('parameters.env ? 1 : 2'), "the condition of `? :` must be true or false, but is a string 'prod'");
    assert.equal(reasonFor('!tags'), 'the operand of `!` must be true or false, but is a list of 2 items');
  });

  test('ternary', () => {
    assert.equal(evaluate("parameters.env == 'prod' ? 'blue' : 'green'"), 'blue');
    assert.equal(evaluate('count > 5 ? parameters.missing : "small"'), 'small');
  });

  test('`+` adds numbers and joins text; other arithmetic needs numbers', () => {
    assert.equal(evaluate('count + 1'), 4);
    assert.equal(evaluate("'v' + count + '-' + enabled"), 'v3-true');
    assert.equal(evaluate("'tags: ' + tags"), 'tags: ["a","b"]');
    assert.equal(evaluate("'none:' + execution.nothing"), 'none:');
    assert.equal(evaluate('count * 2 - 1 / 2 % 3'), 5.5);
    assert.equal(evaluate('-count + +2'), -1);
    assert.equal(reasonFor('count + enabled'), '`+` adds numbers or joins text, but got a number 3 and a boolean true');
    assert.equal(reasonFor('parameters.replicas * 2'), "the left side of `*` must be a number, but is a string '3'");
    assert.equal(reasonFor('count / 0'), 'division by zero in `/`');
    assert.equal(reasonFor('count % 0'), 'division by zero in `%`');
    assert.equal(reasonFor('1e308 * 10'), 'the result of `*` is too large to represent');
  });

  test('literals: numbers, strings in either quote, booleans, null, lists and maps', () => {
    assert.equal(evaluate('1.5e2'), 150);
    assert.equal(evaluate('"double"'), 'double');
    assert.equal(evaluate("'single'"), 'single');
    assert.equal(evaluate("'it''s'"), "it's");
    assert.equal(evaluate("'it\\'s'"), "it's");
    assert.equal(evaluate('"say ""hi"""'), 'say "hi"');
    assert.equal(evaluate('null'), null);
    assert.equal(evaluate('false'), false);
    assert.deepEqual(evaluate('[1, "two", [3]]'), [1, 'two', [3]]);
    assert.deepEqual(evaluate("{name: 'x', 'a-b': 1, 2: true, nested: {}}"), { name: 'x', 'a-b': 1, '2': true, nested: {} });
    assert.deepEqual(evaluate('{1, 2, count}'), [1, 2, 3]);
    assert.deepEqual(evaluate('{:}'), {});
    assert.equal(evaluate("{a: {b: 'c'}}.a.b"), 'c');
  });
});

describe('missing values: safe navigation, Elvis and default', () => {
  test('`?.` yields null when the object is null or the key is missing', () => {
    assert.equal(evaluate('execution.nothing?.id'), null);
    assert.equal(evaluate('parameters?.region'), null);
    assert.equal(evaluate('parameters?.env'), 'prod');
    assert.equal(evaluate('tags?.[9]'), null);
  });

  test('`?.` guards one step only, as in SpEL', () => {
    assert.equal(reasonFor('execution.nothing?.id.x'), 'cannot read property `x` of null (`execution.nothing?.id` is null)');
  });

  test('`??` falls back on null or missing values; `?:` (Elvis) also on the empty string, as in SpEL', () => {
    assert.equal(evaluate("parameters.region ?: 'eu-west-1'"), 'eu-west-1');
    assert.equal(evaluate("parameters.region ?? 'eu-west-1'"), 'eu-west-1');
    assert.equal(evaluate("execution.nothing ?? 'fallback'"), 'fallback');
    assert.equal(evaluate("parameters.env ?: 'dev'"), 'prod');
    assert.equal(evaluate("parameters.empty ?: 'dev'"), 'dev');
    assert.equal(evaluate("parameters.empty ?? 'dev'"), '');
    assert.equal(evaluate('count ?: 0'), 3);
    assert.equal(evaluate("tags[7] ?: execution.nothing?.x ?: 'last'"), 'last');
  });

  test('`?:` binds more loosely than `||` and more tightly than `? :`', () => {
    assert.equal(evaluate("parameters.region ?: enabled || false"), true);
    assert.equal(evaluate("enabled ? parameters.region ?: 'x' : 'y'"), 'x');
  });

  test('default(x, fallback) is `??` as a function', () => {
    assert.equal(evaluate("default(parameters.region, 'eu-west-1')"), 'eu-west-1');
    assert.equal(evaluate("default(parameters.empty, 'dev')"), '');
    assert.equal(evaluate("#default(parameters.env, 'dev')"), 'prod');
    assert.equal(reasonFor('default(count)'), '`#default` takes (value, fallback), got 1 argument');
  });

  test('fallbacks do not hide other failures', () => {
    assert.match(reasonFor("unknownVariable ?: 'x'"), /unknown variable `unknownVariable`/);
    assert.match(reasonFor("default(count + enabled, 'x')"), /`\+` adds numbers or joins text/);
    assert.match(reasonFor("default(#nope(), 'x')"), /function `#nope` is unknown/);
  });
});

describe('bare expressions and conditions', () => {
  test('a bare expression or one wrapped in ${} evaluates the same', () => {
    assert.equal(evaluate("parameters.env == 'prod'"), true);
    assert.equal(evaluate("  ${ parameters.env == 'prod' }  "), true);
    assert.deepEqual(evaluate('${ {"a": 1} }'), { a: 1 });
  });

  test('a failure of a bare expression has the path `$` and the unwrapped text', () => {
    assert.deepEqual(failuresOf(evaluateExpression('${ nope }', scope)), [
      {
        path: '$',
        expression: 'nope',
        reason: 'unknown variable `nope` (available: trigger, parameters, execution, count, ratio, enabled, tags, image)',
      },
    ]);
    const failures = failuresOf(evaluateExpression('nope', scope, { path: '$.stageEnabled.expression' }));
    assert.equal(failures[0]!.path, '$.stageEnabled.expression');
  });

  test('evaluateCondition insists on true or false', () => {
    assert.deepEqual(evaluateCondition("parameters.env == 'prod'", scope), { ok: true, value: true });
    assert.deepEqual(evaluateCondition('${ parameters.deploy }', scope), { ok: true, value: true });
    assert.deepEqual(evaluateCondition("'False'", scope), { ok: true, value: false });
    assert.deepEqual(failuresOf(evaluateCondition('count', scope)), [
      { path: '$', expression: 'count', reason: 'the condition must be true or false, but is a number 3' },
    ]);
    assert.match(failuresOf(evaluateCondition('nope', scope))[0]!.reason, /unknown variable/);
  });
});

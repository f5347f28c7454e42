import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  defaultExpressionLimits,
  evaluateDeep,
  evaluateExpression,
  findExpressionSyntaxErrors,
  type ExpressionResult,
  type ExpressionScope,
} from '../../src/core/expressions/index.js';
import { Secret } from '../../src/core/secret.js';

function valueOf(result: ExpressionResult): unknown {
  assert.ok(result.ok, `expected success, got ${JSON.stringify(result)}`);
  return result.value;
}

function reasonOf(result: ExpressionResult): string {
  assert.ok(!result.ok, `expected failure, got ${JSON.stringify(result)}`);
  return result.failures.map((failure) => failure.reason).join('; ');
}

let getterCalls = 0;
const withGetter = {
  plain: 1,
  get computed(): number {
    getterCalls++;
    return 2;
  },
};
const withHidden = Object.defineProperty({ shown: 1 }, 'hidden', { value: 2, enumerable: false });

const scope: ExpressionScope = {
  variables: Object.assign(Object.create({ inherited: 'from the prototype' }) as Record<string, unknown>, {
    map: { k: 'v' },
    list: [1, 2],
    text: 'abc',
    withGetter,
    withHidden,
    date: new Date(0),
    fn: () => 'called',
    holder: { credential: new Secret('hunter2') },
    instance: new (class Widget {
      readonly size = 1;
    })(),
  }),
};

const reasonFor = (source: string): string => reasonOf(evaluateExpression(source, scope));

describe('the sandbox', () => {
  test('the classic constructor escape fails cleanly', () => {
    assert.match(reasonFor("constructor.constructor('return process')()"), /is not accessible|can be called/);
    assert.match(reasonFor("map.constructor.constructor('return process')()"), /is not accessible|can be called/);
    assert.equal(reasonFor("text.constructor"), '`constructor` is not accessible in expressions');
    assert.equal(reasonFor("list['constructor']"), '`constructor` is not accessible in expressions');
    assert.equal(reasonFor("map['constr' + 'uctor']"), '`constructor` is not accessible in expressions');
    assert.equal(reasonFor('#constructor()'), '`constructor` is not accessible in expressions');
  });

  test('prototypes cannot be reached', () => {
    assert.equal(reasonFor('__proto__'), '`__proto__` is not accessible in expressions');
    assert.equal(reasonFor('map.__proto__'), '`__proto__` is not accessible in expressions');
    assert.equal(reasonFor("map['__pro' + 'to__']"), '`__proto__` is not accessible in expressions');
    assert.equal(reasonFor('map.prototype'), '`prototype` is not accessible in expressions');
    assert.match(reasonFor('inherited'), /^unknown variable `inherited`/);
    assert.match(reasonFor('hasOwnProperty'), /^unknown variable `hasOwnProperty`/);
    assert.match(reasonFor('map.hasOwnProperty'), /^property `hasOwnProperty` does not exist on `map`/);
    assert.match(reasonFor('map.toString'), /^property `toString` does not exist on `map`/);
  });

  test('no methods of JavaScript values, no globals, no `this`', () => {
    assert.match(reasonFor('toString.call(map)'), /^unknown variable `toString`/);
    assert.match(reasonFor('list.map(1)'), /has no method `map`/);
    assert.match(reasonFor('list.map'), /`list` is a list, read by index/);
    assert.match(reasonFor("text.concat('x')"), /has no method `concat`/);
    assert.match(reasonFor('#hasOwnProperty(1)'), /^function `#hasOwnProperty` is unknown/);
    assert.match(reasonFor("#eval('1')"), /^function `#eval` is unknown/);
    assert.match(reasonFor("Function('return 1')"), /^function `#Function` is unknown/);
    for (const name of ['process', 'globalThis', 'require', 'window', 'Object']) {
      assert.match(reasonFor(name), new RegExp(`^unknown variable \`${name}\``));
    }
    assert.equal(reasonFor('this'), '`this` is not supported');
    assert.equal(reasonFor('(1, 2)'), 'expected one expression, found several (separated by `;`, `,` or a space)');
    assert.equal(reasonFor('fn()'), reasonFor('#fn()'));
  });

  test('object keys cannot pollute prototypes', () => {
    assert.equal(reasonFor("{'__proto__': {polluted: true}}"), '`__proto__` is not accessible in expressions');
    assert.equal(reasonFor('{constructor: 1}'), '`constructor` is not accessible in expressions');
    const parsed = valueOf(evaluateExpression(`#readJson('{"__proto__": {"polluted": true}}')`, scope)) as object;
    assert.equal(Object.getPrototypeOf(parsed), Object.prototype);
    assert.deepEqual(Object.keys(parsed), ['__proto__']);
    assert.equal(({} as Record<string, unknown>)['polluted'], undefined);
    assert.equal(reasonFor(`#readJson('{"__proto__": {"polluted": true}}').polluted`).startsWith('property `polluted` does not exist'), true);
  });

  test('getters are never run and hidden properties stay hidden', () => {
    assert.equal(valueOf(evaluateExpression('withGetter.plain', scope)), 1);
    assert.equal(reasonFor('withGetter.computed'), 'property `computed` of `withGetter` is not a data property');
    assert.equal(reasonFor('withGetter'), '`$.computed` of the result is not a data property');
    assert.equal(getterCalls, 0);
    assert.match(reasonFor('withHidden.hidden'), /^property `hidden` does not exist on `withHidden` \(available: shown\)/);
  });

  test('class instances, dates, functions and secrets are not data', () => {
    assert.equal(reasonFor('date'), 'variable `date` is not JSON data (Date)');
    assert.equal(reasonFor('fn'), 'variable `fn` is not JSON data (function)');
    assert.equal(reasonFor('instance.size'), 'variable `instance` is not JSON data (Object)');
    assert.equal(reasonFor('holder.credential'), '`holder.credential` is not JSON data (Object)');
    assert.equal(reasonFor('holder.credential.reveal()'), '`holder.credential` is not JSON data (Object)');
    assert.equal(reasonFor('holder'), '`$.credential` of the result is not JSON data (Object)');
    assert.doesNotMatch(JSON.stringify(evaluateDeep({ a: '${holder}', b: 'x${ #toJson(holder) }' }, scope)), /hunter2/);
  });
});

describe('limits', () => {
  test('an expression longer than the limit is refused before parsing', () => {
    const long = `'${'a'.repeat(defaultExpressionLimits.maxExpressionLength)}'`;
    assert.equal(reasonFor(long), `the expression is ${long.length} characters long, more than the limit of 10000`);
    assert.equal(findExpressionSyntaxErrors(`\${${long}}`)[0]!.reason, reasonFor(long));
  });

  test('the step budget stops an evaluation and cannot be caught by a fallback', () => {
    const limits = { maxSteps: 10 };
    assert.equal(valueOf(evaluateExpression('1 + 1 + 1 + 1 + 1', scope, { limits })), 5);
    const reason = 'the expression needs more than 10 steps (the step budget)';
    assert.equal(reasonOf(evaluateExpression('1 + 1 + 1 + 1 + 1 + 1', scope, { limits })), reason);
    assert.equal(reasonOf(evaluateExpression("default(1 + 1 + 1 + 1 + 1 + 1, 'x')", scope, { limits })), reason);
    assert.equal(reasonOf(evaluateDeep('${ [1, 2, 3, 4, 5, 6, 7, 8, 9, 10] }', scope, { limits })), reason);
  });

  test('each expression in a value has its own budget', () => {
    const limits = { maxSteps: 3 };
    assert.deepEqual(valueOf(evaluateDeep(['${ 1 + 1 }', '${ 2 + 2 }', '${1+1} ${2+2}'], scope, { limits })), [2, 4, '2 4']);
  });

  test('text read and written by functions costs steps, so large values cannot be copied over and over', () => {
    const big = { variables: { big: 'x'.repeat(500_000) } };
    assert.equal(valueOf(evaluateExpression('#len(#toJson(big))', big)), 500_002);
    const copies = `[${Array.from({ length: 20 }, () => '#toJson(big)').join(', ')}]`;
    assert.equal(reasonOf(evaluateExpression(copies, big)), 'the expression needs more than 10000 steps (the step budget)');
  });

  test('strings an expression produces are capped', () => {
    const limits = { maxStringLength: 10 };
    const small = { variables: { a: 'aaaaaa', b: 'bbbbbb', list: [1, 2, 3, 4, 5] } };
    assert.equal(reasonOf(evaluateExpression('a + b', small, { limits })), 'the result of `+` is 12 characters long, more than the limit of 10');
    assert.equal(reasonOf(evaluateExpression('#toJson(list)', small, { limits })), 'the result of `#toJson` is 11 characters long, more than the limit of 10');
    assert.equal(reasonOf(evaluateExpression("a.replace('a', 'xx')", small, { limits })), '`.replace()` is 12 characters long, more than the limit of 10');
    assert.equal(reasonOf(evaluateDeep('${a}${b}', small, { limits })), 'the text is 12 characters long once evaluated, more than the limit of 10');
  });

  test('deep nesting is refused, not a crash', () => {
    const chain = `map${'.k'.repeat(250)}`;
    assert.equal(reasonFor(chain), 'the expression nests more than 200 levels deep');
    assert.equal(reasonFor(`${'('.repeat(4000)}1${')'.repeat(4000)}`), 'the expression nests too deeply to parse');
    assert.equal(reasonFor(`1${' + 1'.repeat(300)}`), 'the expression nests more than 200 levels deep');
    const deep = { variables: { deep: `${'['.repeat(20_000)}${']'.repeat(20_000)}` } };
    assert.match(reasonOf(evaluateExpression('#readJson(deep)', deep)), /nests too deeply|not valid JSON/);
  });
});

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  evaluateDeep,
  evaluateExpression,
  executionFunctionNames,
  executionFunctions,
  ExpressionError,
  standardFunctions,
  type ExecutionView,
  type ExpressionResult,
  type ExpressionScope,
} from '../../src/core/expressions/index.js';

function valueOf(result: ExpressionResult): unknown {
  assert.ok(result.ok, `expected success, got ${JSON.stringify(result)}`);
  return result.value;
}

function reasonOf(result: ExpressionResult): string {
  assert.ok(!result.ok, `expected failure, got ${JSON.stringify(result)}`);
  assert.equal(result.failures.length, 1);
  return result.failures[0]!.reason;
}

const variables = { text: 'héllo wörld ✓', name: 'my-app_v2.1', count: 3, list: [1, 'a', { b: 2 }], map: { k: 'v', n: 1 } };
const evaluate = (source: string): unknown => valueOf(evaluateExpression(source, { variables }));
const reasonFor = (source: string): string => reasonOf(evaluateExpression(source, { variables }));

describe('standard functions', () => {
  test('#toJson writes JSON; #readJson reads it back', () => {
    assert.equal(evaluate('#toJson(map)'), '{"k":"v","n":1}');
    assert.equal(evaluate("#toJson('x')"), '"x"');
    assert.equal(evaluate('#toJson(null)'), 'null');
    assert.deepEqual(evaluate('#readJson(#toJson(list))'), [1, 'a', { b: 2 }]);
    assert.equal(evaluate(`#readJson('{"a": {"b": [1, 2]}}').a.b[1]`), 2);
    assert.match(reasonFor("#readJson('{oops')"), /^`#readJson` got text that is not valid JSON: /);
    assert.equal(reasonFor('#readJson(count)'), '`#readJson` expects a string, got a number 3');
  });

  test('#readYaml reads YAML into data', () => {
    assert.deepEqual(evaluate("#readYaml('replicas: 2\\nports: [80, 443]\\nname: web')"), { replicas: 2, ports: [80, 443], name: 'web' });
    assert.match(reasonFor("#readYaml('a: [1')"), /^`#readYaml` got text that is not valid YAML: /);
  });

  test('#toInt and #toFloat parse numbers strictly', () => {
    assert.equal(evaluate("#toInt('42')"), 42);
    assert.equal(evaluate("#toInt(' -7 ')"), -7);
    assert.equal(evaluate('#toInt(3.9)'), 3);
    assert.equal(reasonFor("#toInt('4.2')"), "`#toInt` cannot turn a string '4.2' into a whole number");
    assert.equal(reasonFor("#toInt('99999999999999999999')"), "`#toInt` cannot turn a string '99999999999999999999' into a whole number");
    assert.equal(evaluate("#toFloat('4.25')"), 4.25);
    assert.equal(evaluate('#toFloat(2)'), 2);
    assert.equal(reasonFor("#toFloat('')"), "`#toFloat` cannot turn a string '' into a number");
    assert.equal(reasonFor("#toFloat('abc')"), "`#toFloat` cannot turn a string 'abc' into a number");
    assert.equal(reasonFor('#toFloat(true)'), '`#toFloat` cannot turn a boolean true into a number');
  });

  test('#toBoolean takes true/false in any case, and nothing else', () => {
    assert.equal(evaluate("#toBoolean('TRUE')"), true);
    assert.equal(evaluate("#toBoolean(' false ')"), false);
    assert.equal(evaluate('#toBoolean(true)'), true);
    assert.equal(reasonFor("#toBoolean('yes')"), "`#toBoolean` cannot turn a string 'yes' into true or false");
    assert.equal(reasonFor('#toBoolean(1)'), '`#toBoolean` cannot turn a number 1 into true or false');
  });

  test('#toBase64 and #fromBase64 handle UTF-8 text', () => {
    assert.equal(evaluate("#toBase64('hello')"), 'aGVsbG8=');
    assert.equal(evaluate("#toBase64('✓')"), '4pyT');
    assert.equal(evaluate('#fromBase64(#toBase64(text))'), 'héllo wörld ✓');
    assert.equal(evaluate("#fromBase64('4pyT')"), '✓');
    assert.equal(evaluate("#toBase64('')"), '');
    assert.equal(reasonFor("#fromBase64('%%%')"), "`#fromBase64` cannot decode a string '%%%': it is not base64 of UTF-8 text");
    assert.equal(reasonFor("#fromBase64('/w==')"), "`#fromBase64` cannot decode a string '/w==': it is not base64 of UTF-8 text");
    assert.equal(reasonFor('#toBase64(list)'), '`#toBase64` expects a string, got a list of 3 items');
  });

  test('#alphanumerical keeps ASCII letters and digits', () => {
    assert.equal(evaluate('#alphanumerical(name)'), 'myappv21');
    assert.equal(evaluate('#alphanumerical(text)'), 'hllowrld');
  });

  test('#len and #size count characters, items or keys', () => {
    assert.equal(evaluate("#len('abc')"), 3);
    assert.equal(evaluate('#size(list)'), 3);
    assert.equal(evaluate('len(map)'), 2);
    assert.equal(reasonFor('#len(count)'), '`#len` expects a string, a list or a map, got a number 3');
  });

  test('a wrong number of arguments names the parameters', () => {
    assert.equal(reasonFor('#toJson()'), '`#toJson` takes (value), got 0 arguments');
    assert.equal(reasonFor("#toInt('1', 2)"), '`#toInt` takes (value), got 2 arguments');
  });

  test('an unknown function is named, with the ones that exist', () => {
    assert.match(reasonFor('#bar(1)'), /^function `#bar` is unknown \(functions: #alphanumerical, #default, #fromBase64, /);
  });

  test('the standard set is exactly the documented one', () => {
    assert.deepEqual(Object.keys(standardFunctions).sort(), [
      'alphanumerical', 'fromBase64', 'len', 'readJson', 'readYaml', 'size', 'toBase64', 'toBoolean', 'toFloat', 'toInt', 'toJson',
    ]);
  });
});

describe('methods', () => {
  test('string methods', () => {
    assert.equal(evaluate("name.contains('app')"), true);
    assert.equal(evaluate("name.startsWith('my') && name.endsWith('.1')"), true);
    assert.equal(evaluate("name.indexOf('-')"), 2);
    assert.equal(evaluate("'  Ab '.trim().toLowerCase() + 'x'.toUpperCase()"), 'abX');
    assert.equal(evaluate("'Prod'.equalsIgnoreCase('PROD') and 'a'.equals('a')"), true);
    assert.deepEqual(evaluate("'a,b,,c'.split(',')"), ['a', 'b', '', 'c']);
    assert.deepEqual(evaluate("'a.b'.split('.')"), ['a', 'b']);
    assert.equal(evaluate("'a-b-c'.replace('-', '+')"), 'a+b+c');
    assert.equal(evaluate("'abcdef'.substring(2)"), 'cdef');
    assert.equal(evaluate("'abcdef'.substring(1, 3)"), 'bc');
    assert.equal(evaluate('name.length()'), 11);
    assert.equal(evaluate("''.size()"), 0);
    assert.equal(evaluate("''.isEmpty().toString()"), 'true');
  });

  test('list and map methods', () => {
    assert.equal(evaluate("list.contains({b: 2}) and list.contains('a') and not list.contains(2)"), true);
    assert.equal(evaluate('list.size()'), 3);
    assert.equal(evaluate('[].isEmpty()'), true);
    assert.equal(evaluate("map.containsKey('k') and not map.containsKey('z')"), true);
    assert.equal(evaluate('map.size()'), 2);
    assert.equal(evaluate('{:}.isEmpty()'), true);
    assert.equal(evaluate('count.toString() + list.toString()'), '3[1,"a",{"b":2}]');
    assert.equal(evaluate('count.equals(3)'), true);
  });

  test('methods check their arguments', () => {
    assert.equal(reasonFor("'a'.contains(1)"), '`contains` expects a string as argument 1, got a number 1');
    assert.equal(reasonFor("'a'.substring(-1)"), '`substring` expects a whole number as argument 1, got a number -1');
    assert.equal(reasonFor("'a'.contains()"), '`contains` takes (text), got 0 arguments');
    assert.equal(reasonFor("'a'.trim(1)"), '`trim` takes no arguments, got 1 argument');
    assert.equal(reasonFor("'a'.replace('', 'x')"), '`replace` needs a non-empty text to replace');
  });

  test('a method on null fails unless called with `?.`', () => {
    const scope: ExpressionScope = { variables: { nothing: null } };
    assert.equal(reasonOf(evaluateExpression('nothing.trim()', scope)), 'cannot call `trim()` on null (`nothing` is null)');
    assert.equal(valueOf(evaluateExpression('nothing?.trim()', scope)), null);
    assert.equal(valueOf(evaluateExpression("nothing.trim() ?: 'x'", scope)), 'x');
  });
});

const view: ExecutionView = {
  currentStageId: 'st-3',
  stages: [
    { id: 'st-1', refId: '1', name: 'Bake', type: 'bake', status: 'SUCCEEDED', context: { region: 'eu' }, outputs: { imageId: 'ami-1' } },
    { id: 'st-2', refId: '2', name: 'Approve', type: 'manualJudgment', status: 'SUCCEEDED', context: { judgmentInput: 'blue' }, outputs: {} },
    { id: 'st-3', refId: '3', name: 'Deploy', type: 'deploy', status: 'RUNNING', context: { image: '${#stage("Bake").outputs.imageId}' }, outputs: {} },
    { id: 'st-4', refId: '4', name: 'Wait for it', type: 'manualJudgment', status: 'NOT_STARTED', context: {}, outputs: {} },
  ],
};
const executionScope: ExpressionScope = { variables: {}, functions: executionFunctions(view) };
const run = (source: string): unknown => valueOf(evaluateExpression(source, executionScope));
const runReason = (source: string): string => reasonOf(evaluateExpression(source, executionScope));

describe('execution functions', () => {
  test('#stage finds a stage by name (or id) and exposes its status, context and outputs', () => {
    assert.equal(run("#stage('Bake').outputs.imageId"), 'ami-1');
    assert.equal(run("#stage('Bake')['context']['region']"), 'eu');
    assert.equal(run("#stage('st-2').name"), 'Approve');
    assert.deepEqual(run("#stage('Bake')"), {
      id: 'st-1', refId: '1', name: 'Bake', type: 'bake', status: 'SUCCEEDED', context: { region: 'eu' }, outputs: { imageId: 'ami-1' },
    });
    assert.equal(run("#stage('Deploy').status == 'RUNNING'"), true);
  });

  test('#stage names the stages that exist when none matches', () => {
    assert.equal(runReason("#stage('Bak')"), '`#stage` found no stage named `Bak` (stages: `Bake`, `Approve`, `Deploy`, `Wait for it`)');
    assert.equal(runReason('#stage(1)'), '`#stage` expects a stage name, got a number 1');
  });

  test('a missing output fails, and can be defaulted', () => {
    assert.equal(
      runReason("#stage('Bake').outputs.amiName"),
      "property `amiName` does not exist on `#stage('Bake').outputs` (available: imageId)",
    );
    assert.equal(run("#stage('Bake').outputs.amiName ?: 'none'"), 'none');
  });

  test('#stageByRefId, #stageExists, #currentStage', () => {
    assert.equal(run("#stageByRefId('2').name"), 'Approve');
    assert.equal(runReason("#stageByRefId('9')"), '`#stageByRefId` found no stage with refId `9` (refIds: `1`, `2`, `3`, `4`)');
    assert.equal(run("#stageExists('Bake') and #stageExists('st-4') and not #stageExists('Nope')"), true);
    assert.equal(run('#currentStage().name'), 'Deploy');
    const noCurrent = { variables: {}, functions: executionFunctions({ stages: view.stages }) };
    assert.equal(reasonOf(evaluateExpression('#currentStage()', noCurrent)), '`#currentStage` has no current stage here (the expression is not being evaluated for a stage)');
  });

  test('#judgment and #judgement read the chosen input of a manual judgment', () => {
    assert.equal(run("#judgment('Approve')"), 'blue');
    assert.equal(run("#judgement('Approve') == 'blue'"), true);
    assert.equal(run("#judgment('Wait for it')"), null);
    assert.equal(runReason("#judgment('Bake')"), '`#judgment` needs a manualJudgment stage, but `Bake` is a `bake` stage');
    assert.equal(
      runReason("#judgment('Approval')"),
      '`#judgment` found no manualJudgment stage named `Approval` (manualJudgment stages: `Approve`, `Wait for it`)',
    );
  });

  test('a stage context can hold expressions that are evaluated against the execution', () => {
    assert.deepEqual(valueOf(evaluateDeep(view.stages[2]!.context, executionScope)), { image: 'ami-1' });
  });

  test('executionFunctionNames lists exactly what executionFunctions provides', () => {
    assert.deepEqual([...executionFunctionNames].sort(), Object.keys(executionFunctions(view)).sort());
  });
});

describe('functions supplied by the caller', () => {
  test('may fail with an ExpressionError, whose `missing` flag lets fallbacks apply', () => {
    const scope: ExpressionScope = {
      variables: {},
      functions: {
        lookup: (key) => {
          if (key === 'known') return 'found';
          throw new ExpressionError(`has no entry \`${String(key)}\``, { missing: true });
        },
        broken: () => {
          throw new TypeError('boom');
        },
        clock: () => new Date(0),
        nothing: () => undefined,
      },
    };
    assert.equal(valueOf(evaluateExpression("#lookup('known')", scope)), 'found');
    assert.equal(reasonOf(evaluateExpression("#lookup('other')", scope)), '`#lookup` has no entry `other`');
    assert.equal(valueOf(evaluateExpression("default(#lookup('other'), 'fallback')", scope)), 'fallback');
    assert.equal(reasonOf(evaluateExpression('#broken()', scope)), '`#broken` failed: boom');
    assert.equal(reasonOf(evaluateExpression('#clock()', scope)), 'the result of `#clock` is not JSON data (Date)');
    assert.equal(valueOf(evaluateExpression('#nothing()', scope)), null);
  });
});

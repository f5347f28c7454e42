import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { evaluateVariablesStage } from '../../src/stages/index.js';
import { assertTerminal, fakeServices, inputProblems, parseInput, plannedTasks, runTask } from './support.js';

describe('evaluateVariables', () => {
  const definition = evaluateVariablesStage();

  test('the engine leaves its variables for it to evaluate', () => {
    assert.deepEqual(definition.deferredExpressionKeys, ['variables']);
    assert.deepEqual(plannedTasks(definition, parseInput(definition, {})), ['evaluateVariables']);
  });

  test('refuses variables without a key', () => {
    assert.deepEqual(inputProblems(definition, { variables: [{ value: 1 }] }), ['variables.0.key: expected a non-empty variable name']);
    assert.deepEqual(inputProblems(definition, { variables: 'a=1' }), ['variables: expected a list of {key, value} variables']);
  });

  test('evaluates in order, each variable seeing the ones before it, and publishes them as outputs', async () => {
    const input = parseInput(definition, {
      variables: [
        { key: 'env', value: '${parameters.env}', description: 'target' },
        { key: 'replicas', value: '${ parameters.replicas * 2 }' },
        { key: 'host', value: 'shop-${env}.example.com:${replicas}' },
        { key: 'settings', value: { name: '${env}', sizes: ['${replicas}', 1], literal: '$${HOME}' } },
        { key: 'plain', value: 'no expressions here' },
        { key: 'number', value: 7 },
      ],
    });
    const services = fakeServices();
    const result = await runTask(definition, 'evaluateVariables', { input, services });
    assert.deepEqual(result, {
      kind: 'succeeded',
      outputs: {
        env: 'prod',
        replicas: 6,
        host: 'shop-prod.example.com:6',
        settings: { name: 'prod', sizes: [6, 1], literal: '${HOME}' },
        plain: 'no expressions here',
        number: 7,
      },
    });
    assert.deepEqual(
      services.log.evaluated.map((call) => [call.source, Object.keys(call.extraVariables ?? {})]),
      [
        ['parameters.env', []],
        ['parameters.replicas * 2', ['env']],
        ['env', ['env', 'replicas']],
        ['replicas', ['env', 'replicas']],
        ['env', ['env', 'replicas', 'host']],
        ['replicas', ['env', 'replicas', 'host']],
      ],
    );
  });

  test('a later variable may replace an earlier one of the same key', async () => {
    const input = parseInput(definition, { variables: [{ key: 'n', value: 1 }, { key: 'n', value: '${ n + 1 }' }] });
    assert.deepEqual(await runTask(definition, 'evaluateVariables', { input }), { kind: 'succeeded', outputs: { n: 2 } });
  });

  test('a failing expression fails the stage, naming the variable, the expression and where it is', async () => {
    const input = parseInput(definition, {
      variables: [
        { key: 'ok', value: 'fine' },
        { key: 'region', value: { primary: 'eu-${ parameters.region }' } },
      ],
    });
    const result = await runTask(definition, 'evaluateVariables', { input });
    assertTerminal(result, 'GNK_E_EXPRESSION_FAILED', /^variable `region` could not be evaluated: `parameters.region` \(at \$\.variables\[1\]\.value\.primary\): .*region/);
  });

  test('an unclosed ${ fails with the template error', async () => {
    const input = parseInput(definition, { variables: [{ key: 'broken', value: 'a ${ b' }] });
    const result = await runTask(definition, 'evaluateVariables', { input });
    assertTerminal(result, 'GNK_E_EXPRESSION_FAILED', /^variable `broken` could not be evaluated: `b` \(at \$\.variables\[0\]\.value\): .*never closed/);
  });

  test('a variable named __proto__ stays an ordinary output', async () => {
    const input = parseInput(definition, { variables: [{ key: '__proto__', value: 'x' }] });
    const result = await runTask(definition, 'evaluateVariables', { input });
    assert.equal(result.kind, 'succeeded');
    if (result.kind !== 'succeeded') return;
    assert.deepEqual(Object.keys(result.outputs ?? {}), ['__proto__']);
    assert.equal(Object.getPrototypeOf(result.outputs), Object.prototype);
  });
});

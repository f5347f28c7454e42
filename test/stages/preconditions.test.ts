import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { checkPreconditionStage, checkPreconditionsStage } from '../../src/stages/index.js';
import { assertTerminal, fakeServices, inputProblems, makeStage, parseInput, runTask } from './support.js';

const otherStages = [
  { id: 's-build', refId: 'build', name: 'Build', type: 'noop', status: 'SUCCEEDED', context: {}, outputs: {} },
  { id: 's-it', refId: 'it', name: "Bob's tests", type: 'noop', status: 'TERMINAL', context: {}, outputs: {} },
];

describe('checkPreconditions', () => {
  const definition = checkPreconditionsStage();

  test('keeps its preconditions for the check stages to evaluate', () => {
    assert.deepEqual(definition.deferredExpressionKeys, ['preconditions']);
  });

  test('plans one parallel before-stage per precondition, failPipeline deciding its onFailure', () => {
    const input = parseInput(definition, {
      preconditions: [
        { type: 'expression', context: { expression: "parameters.env == 'prod'", failureMessage: 'not prod' } },
        { type: 'stageStatus', failPipeline: 'false', context: { stageName: 'Build', stageStatus: 'succeeded' } },
        { type: 'clusterSize', failPipeline: true, context: { cluster: 'shop-main', comparison: '>=', expected: 2, credentials: 'prod', regions: ['eu-west-1'] } },
      ],
    });
    const plan = definition.plan({ stage: makeStage({ type: 'checkPreconditions' }), input });
    assert.deepEqual(plan.tasks, []);
    assert.deepEqual(plan.afterStages, []);
    assert.deepEqual(
      plan.beforeStages.map((spec) => ({ type: spec.type, name: spec.name, onFailure: spec.onFailure, requisites: spec.requisiteStageRefIds ?? [] })),
      [
        { type: 'checkPrecondition', name: 'Check precondition (expression)', onFailure: 'haltPipeline', requisites: [] },
        { type: 'checkPrecondition', name: 'Check precondition (stageStatus)', onFailure: 'ignore', requisites: [] },
        { type: 'checkPrecondition', name: 'Check precondition (clusterSize)', onFailure: 'haltPipeline', requisites: [] },
      ],
    );
    assert.deepEqual(plan.beforeStages[1]!.context, {
      preconditionType: 'stageStatus',
      context: { stageName: 'Build', stageStatus: 'SUCCEEDED' },
      failPipeline: false,
    });
    assert.equal((plan.beforeStages[2]!.context['context'] as Record<string, unknown>)['cluster'], 'shop-main');
  });

  test('no preconditions plan nothing', () => {
    const input = parseInput(definition, {});
    assert.deepEqual(definition.plan({ stage: makeStage(), input }), { tasks: [], beforeStages: [], afterStages: [] });
  });

  test('refuses unknown types and incomplete checks, naming the field', () => {
    assert.deepEqual(inputProblems(definition, { preconditions: [{ type: 'clusterAge', context: {} }] }), [
      'preconditions.0.type: expected a precondition type: expression, stageStatus, clusterSize',
    ]);
    assert.deepEqual(inputProblems(definition, { preconditions: [{ type: 'stageStatus', context: { stageName: 'Build', stageStatus: 'DONE' } }] }), [
      'preconditions.0.context.stageStatus: expected a stage status (NOT_STARTED, BUFFERED, RUNNING, PAUSED, SUSPENDED, SUCCEEDED, FAILED_CONTINUE, TERMINAL, CANCELED, STOPPED, SKIPPED)',
    ]);
    assert.deepEqual(inputProblems(definition, { preconditions: [{ type: 'expression', context: {} }] }), [
      'preconditions.0.context.expression: expected an expression (text) or true/false',
    ]);
    assert.deepEqual(inputProblems(definition, { preconditions: [{ type: 'expression', failPipeline: 'sometimes', context: { expression: 'true' } }] }), [
      'preconditions.0.failPipeline: expected true or false',
    ]);
  });
});

describe('checkPrecondition', () => {
  const definition = checkPreconditionStage();
  const check = async (raw: Record<string, unknown>) => {
    const services = fakeServices({ otherStages });
    const result = await runTask(definition, 'checkPrecondition', { input: parseInput(definition, raw), services, stage: { type: 'checkPrecondition' } });
    return { result, services };
  };

  test('evaluates its own context', () => {
    assert.deepEqual(definition.deferredExpressionKeys, ['context']);
  });

  test('an expression that is true passes, bare or wrapped in ${ }', async () => {
    for (const expression of ["parameters.env == 'prod'", "${ parameters.env == 'prod' }", 'parameters.replicas > 2', "'TRUE'", true]) {
      const { result } = await check({ preconditionType: 'expression', context: { expression } });
      assert.deepEqual(result, { kind: 'succeeded' }, String(expression));
    }
  });

  test('an expression that is false fails with the failureMessage, or one naming the expression', async () => {
    const custom = await check({ preconditionType: 'expression', context: { expression: "parameters.env == 'dev'", failureMessage: 'only for ${parameters.env}? no: dev' } });
    assertTerminal(custom.result, 'GNK_E_TASK_FAILED', /^only for prod\? no: dev$/);
    const plain = await check({ preconditionType: 'expression', context: { expression: "parameters.env == 'dev'" } });
    assertTerminal(plain.result, 'GNK_E_TASK_FAILED', /^precondition expression `parameters.env == 'dev'` is false$/);
    const literal = await check({ preconditionType: 'expression', context: { expression: false } });
    assertTerminal(literal.result, 'GNK_E_TASK_FAILED', /^precondition written as the literal false is false$/);
  });

  test('an expression that is not a boolean fails, showing its value', async () => {
    const { result } = await check({ preconditionType: 'expression', context: { expression: 'parameters.env' } });
    assertTerminal(result, 'GNK_E_TASK_FAILED', /^precondition expression `parameters.env` is "prod", not true or false$/);
  });

  test('an expression that cannot be evaluated fails with the evaluation failure', async () => {
    const { result, services } = await check({ preconditionType: 'expression', context: { expression: 'parameters.region == 1' } });
    assertTerminal(result, 'GNK_E_EXPRESSION_FAILED', /^precondition expression `parameters.region == 1` could not be evaluated: .*region/);
    assert.deepEqual(services.log.evaluated, [{ source: 'parameters.region == 1' }]);
  });

  test('a stage status matches the named stage, quoting its name for the expression', async () => {
    const passed = await check({ preconditionType: 'stageStatus', context: { stageName: 'Build', stageStatus: 'SUCCEEDED' } });
    assert.deepEqual(passed.result, { kind: 'succeeded' });
    assert.deepEqual(passed.services.log.evaluated, [{ source: "#stage('Build').status" }]);
    const quoted = await check({ preconditionType: 'stageStatus', context: { stageName: "Bob's tests", stageStatus: 'terminal' } });
    assert.deepEqual(quoted.result, { kind: 'succeeded' });
  });

  test('a stage status that differs fails, naming both statuses', async () => {
    const { result } = await check({ preconditionType: 'stageStatus', context: { stageName: "Bob's tests", stageStatus: 'SUCCEEDED' } });
    assertTerminal(result, 'GNK_E_TASK_FAILED', /^stage "Bob's tests" is "TERMINAL", but the precondition expects SUCCEEDED$/);
  });

  test('a stage name may be an expression; an unknown stage fails the check', async () => {
    const named = await check({ preconditionType: 'stageStatus', context: { stageName: "${ 'Bu' + 'ild' }", stageStatus: 'SUCCEEDED' } });
    assert.deepEqual(named.result, { kind: 'succeeded' });
    const missing = await check({ preconditionType: 'stageStatus', context: { stageName: 'Deploy', stageStatus: 'SUCCEEDED' } });
    assertTerminal(missing.result, 'GNK_E_EXPRESSION_FAILED', /^precondition on the status of stage "Deploy" could not be checked: .*Deploy/);
  });

  test('a cluster size check parses but fails until cloud providers exist', async () => {
    const { result } = await check({ preconditionType: 'clusterSize', context: { cluster: 'shop-main', credentials: 'prod', regions: ['eu-west-1'], expected: 1 } });
    assertTerminal(result, 'GNK_E_TASK_FAILED', /clusterSize preconditions are not available until cloud providers exist/);
  });
});

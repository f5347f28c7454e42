import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { builtInStageTypes } from '../../src/core/pipeline/stage-types/built-in.js';
import { waitStageSchema } from '../../src/core/pipeline/stage-types/wait.js';
import { webhookStageSchema } from '../../src/core/pipeline/stage-types/webhook.js';
import { validatePipeline, type PipelineValidation } from '../../src/core/pipeline/validate.js';
import { expectErrors, expectValid, loadFixture, pipelineWith, where } from './pipeline-support.js';

const wait = (refId: string, requisites: string[] = [], fields: Record<string, unknown> = {}): Record<string, unknown> => ({
  refId,
  requisiteStageRefIds: requisites,
  type: 'wait',
  name: `Wait ${refId}`,
  waitTime: 5,
  ...fields,
});

/** The validation with each stage's context parsed by its type's schema, as the engine parses it (no expression here needs evaluating for that). */
function asTheEngineReadsIt(input: unknown): PipelineValidation {
  const result = validatePipeline(input);
  if (!result.ok) return result;
  const stages = result.pipeline.stages.map((stage) => ({ ...stage, context: builtInStageTypes[stage.type]!.schema.parse(stage.context) }));
  return { ...result, pipeline: { ...result.pipeline, stages } };
}

describe('a pipeline exported from Spinnaker', () => {
  test('validates unchanged and is normalised for the engine', () => {
    const { pipeline } = expectValid(loadFixture('spinnaker-export.json'));
    assert.equal(pipeline.id, '6f1c2a7e-93b4-4d0e-b1a5-2c8e4f7d9a10');
    assert.equal(pipeline.application, 'checkout');
    assert.equal(pipeline.name, 'Deploy to prod');
    assert.equal(pipeline.limitConcurrent, true);
    assert.equal(pipeline.keepWaitingPipelines, false);
    assert.equal(pipeline.maxConcurrentExecutions, 0);
    assert.equal(pipeline.disabled, false);
    assert.equal(pipeline.spelEvaluator, 'v4');
    assert.deepEqual(
      pipeline.stages.map((stage) => [stage.refId, stage.type, stage.requisiteStageRefIds, stage.onFailure]),
      [
        ['1', 'evaluateVariables', [], 'haltPipeline'],
        ['2', 'checkPreconditions', ['1'], 'haltPipeline'],
        ['3', 'webhook', ['1'], 'haltPipeline'],
        ['4', 'manualJudgment', ['2', '3'], 'haltPipeline'],
        ['5', 'pipeline', ['4'], 'haltPipeline'],
        ['6', 'wait', ['5'], 'haltPipeline'],
        ['7', 'webhook', ['5'], 'ignore'],
      ],
    );
    assert.deepEqual(pipeline.parameterConfig.map((parameter) => [parameter.name, parameter.required]), [
      ['version', true],
      ['environment', true],
    ]);
    assert.deepEqual(pipeline.triggers.map((trigger) => [trigger.type, trigger.enabled]), [
      ['jenkins', true],
      ['cron', false],
    ]);
    assert.deepEqual(pipeline.notifications, [
      { type: 'slack', address: 'checkout-releases', level: 'pipeline', when: ['pipeline.failed', 'pipeline.complete'] },
    ]);
  });

  test('numbers written as strings are kept as written and read as numbers by the stage', () => {
    const { pipeline } = expectValid(loadFixture('spinnaker-export.json'));
    const webhook = pipeline.stages[2]!;
    assert.equal(webhook.stageTimeoutMs, 7_200_000);
    assert.deepEqual(webhook.context['failFastStatusCodes'], ['400', '404']);
    const webhookInput = webhookStageSchema.parse(webhook.context);
    assert.deepEqual(webhookInput.failFastStatusCodes, [400, 404]);
    assert.equal(webhookInput.waitBeforeMonitor, 5);
    assert.equal(waitStageSchema.parse(pipeline.stages[5]!.context).waitTime, 900);
  });

  test('engine fields are lifted out of the stage and the rest stays in its context', () => {
    const { pipeline } = expectValid(loadFixture('spinnaker-export.json'));
    const judgment = pipeline.stages[3]!;
    assert.equal(judgment.name, 'Approve production');
    assert.equal(judgment.stageTimeoutMs, 86_400_000);
    assert.equal(judgment.restrictExecutionDuringTimeWindow, true);
    assert.deepEqual(judgment.restrictedExecutionWindow, {
      days: [2, 3, 4, 5, 6],
      jitter: { enabled: false, maxDelay: 600, minDelay: 0, skipManual: true },
      whitelist: [{ endHour: 16, endMin: 0, startHour: 9, startMin: 30 }],
    });
    assert.equal(judgment.skipWindowText, 'Only skip the window for an incident fix.');
    assert.deepEqual(Object.keys(judgment.context).sort(), [
      'instructions',
      'judgmentInputs',
      'notifications',
      'propagateAuthenticationContext',
      'selectedStageRoles',
      'sendNotifications',
    ]);
    assert.equal(pipeline.stages[4]!.stageEnabled, "#judgment('Approve production') == 'Promote'");
    assert.equal(pipeline.stages[0]!.failOnFailedExpressions, true);
    assert.equal(pipeline.stages[5]!.comments, 'Let the new version take real traffic before closing the ticket.');
  });

  test('pipeline keys Gennaker does not model are kept in extras', () => {
    const { pipeline } = expectValid(loadFixture('spinnaker-export.json'));
    assert.deepEqual(pipeline.extras, {
      appConfig: {},
      description: 'Promote a checkout release to production after checks, a change ticket and a sign-off.',
      expectedArtifacts: [],
      index: 2,
      isNew: true,
      lastModifiedBy: 'jane.doe@example.com',
      updateTs: '1723045193000',
    });
  });

  test('UI-only stage keys are kept and warned about; unknown references are warnings', () => {
    const { pipeline, warnings } = expectValid(loadFixture('spinnaker-export.json'));
    assert.equal(pipeline.stages[5]!.context['isNew'], true);
    assert.deepEqual(where(warnings), [
      ['6', '$.stages[5].isNew', 'a field of a wait stage'],
      ['5', '$.stages[4].application', 'an application this installation knows'],
      ['5', '$.stages[4].pipeline', 'the id of a pipeline of application "checkout" this installation knows'],
    ]);
  });

  test('the YAML version with the same fields gives the same pipeline', () => {
    // YAML writes some numbers bare where the JSON export quotes them; the stages read both the same.
    assert.deepEqual(asTheEngineReadsIt(loadFixture('spinnaker-export.yaml')), asTheEngineReadsIt(loadFixture('spinnaker-export.json')));
  });
});

describe('failure flags become one onFailure value (Orca precedence)', () => {
  const cases: [string, Record<string, unknown>, string][] = [
    ['no flags: halt the pipeline', {}, 'haltPipeline'],
    ['failPipeline true', { failPipeline: true, continuePipeline: false, completeOtherBranchesThenFail: false }, 'haltPipeline'],
    ['halt this branch', { failPipeline: false, continuePipeline: false }, 'haltBranch'],
    ['halt this branch, fail once others complete', { failPipeline: false, continuePipeline: false, completeOtherBranchesThenFail: true }, 'haltBranchThenFail'],
    ['ignore the failure', { failPipeline: false, continuePipeline: true }, 'ignore'],
    ['continuePipeline wins over failPipeline', { failPipeline: true, continuePipeline: true }, 'ignore'],
    ['failPipeline true wins over completeOtherBranchesThenFail', { failPipeline: true, completeOtherBranchesThenFail: true }, 'haltPipeline'],
    ['flags written as strings', { failPipeline: 'false', continuePipeline: 'false' }, 'haltBranch'],
  ];
  for (const [title, flags, expected] of cases) {
    test(title, () => {
      const { pipeline } = expectValid(pipelineWith([wait('1', [], flags)]));
      assert.equal(pipeline.stages[0]!.onFailure, expected);
    });
  }

  test('a flag that is not a boolean is an error naming the stage', () => {
    const { errors } = expectErrors(pipelineWith([wait('1', [], { failPipeline: 'sometimes' })]));
    assert.deepEqual(where(errors), [['1', '$.stages[0].failPipeline', 'true or false']]);
  });
});

describe('linear (legacy) format', () => {
  test('stages without refIds get refIds in array order, each waiting for the one before', () => {
    const { pipeline } = expectValid(loadFixture('linear.json'));
    assert.deepEqual(
      pipeline.stages.map((stage) => [stage.refId, stage.requisiteStageRefIds, stage.type]),
      [
        ['1', [], 'webhook'],
        ['2', ['1'], 'wait'],
        ['3', ['2'], 'manualJudgment'],
        ['4', ['3'], 'runJob'],
      ],
    );
  });

  test('issues in a linear pipeline name the assigned refId', () => {
    const { errors } = expectErrors(pipelineWith([{ type: 'wait', waitTime: 1 }, { type: 'wait', waitTime: 'later' }]));
    assert.deepEqual(where(errors), [['2', '$.stages[1].waitTime', 'a number of seconds, 0 or more']]);
  });

  test('requisites without refIds are refused, since order is the array order', () => {
    const { errors } = expectErrors(pipelineWith([{ type: 'wait', waitTime: 1 }, { type: 'wait', waitTime: 1, requisiteStageRefIds: ['1'] }]));
    assert.deepEqual(where(errors), [
      ['2', '$.stages[1].requisiteStageRefIds', 'no requisiteStageRefIds in a pipeline without refIds (linear format runs stages in array order)'],
    ]);
  });

  test('some stages with refIds and some without is an error naming each stage index without one', () => {
    const { errors } = expectErrors(loadFixture('invalid-mixed-refids.json'));
    assert.equal(errors.length, 1);
    assert.equal(errors[0]!.path, '$.stages[1].refId');
    assert.equal(errors[0]!.refId, undefined);
    assert.match(errors[0]!.message, /the stage at index 1 has no refId, but other stages have one/);
  });
});

describe('refIds', () => {
  test('numeric refIds and requisites are normalised to strings', () => {
    const { pipeline } = expectValid(pipelineWith([wait('x'), { ...wait('y'), refId: 2, requisiteStageRefIds: ['x'] }, { ...wait('z'), refId: 3, requisiteStageRefIds: [2] }]));
    assert.deepEqual(pipeline.stages.map((stage) => [stage.refId, stage.requisiteStageRefIds]), [
      ['x', []],
      ['2', ['x']],
      ['3', ['2']],
    ]);
  });

  test('a refId that is neither a string nor a number is an error at its path', () => {
    const { errors } = expectErrors(pipelineWith([{ ...wait('1'), refId: { id: 1 } }]));
    assert.deepEqual(where(errors), [[undefined, '$.stages[0].refId', 'a refId (a non-empty string or a number)']]);
  });
});

describe('pipeline-level fields', () => {
  test('defaults: limitConcurrent false (as Orca runs a pipeline without the key), nothing waiting kept, enabled', () => {
    const { pipeline } = expectValid(pipelineWith([wait('1')]));
    assert.equal(pipeline.limitConcurrent, false);
    assert.equal(pipeline.keepWaitingPipelines, false);
    assert.equal(pipeline.maxConcurrentExecutions, 0);
    assert.equal(pipeline.disabled, false);
    assert.deepEqual([pipeline.parameterConfig, pipeline.triggers, pipeline.notifications, pipeline.extras], [[], [], [], {}]);
    assert.equal(pipeline.id, undefined);
  });

  test('a stage without a name is named after its type', () => {
    const { pipeline } = expectValid(pipelineWith([{ refId: '1', type: 'wait', waitTime: 1 }]));
    assert.equal(pipeline.stages[0]!.name, 'wait');
  });

  test('input that is not an object is one error at $', () => {
    for (const input of [undefined, 'pipeline', [], 42]) {
      const { errors } = expectErrors(input);
      assert.deepEqual(where(errors), [[undefined, '$', 'a pipeline: an object with application, name and stages']]);
    }
  });

  test('missing and malformed pipeline fields are each reported with their path', () => {
    const { errors } = expectErrors({ stages: [wait('1')], maxConcurrentExecutions: -2, keepWaitingPipelines: 'yes', spelEvaluator: 'v9' });
    assert.deepEqual(where(errors), [
      [undefined, '$.application', 'an application name'],
      [undefined, '$.name', 'a pipeline name'],
      [undefined, '$.keepWaitingPipelines', 'true or false'],
      [undefined, '$.maxConcurrentExecutions', 'a whole number ≥ 0'],
      [undefined, '$.spelEvaluator', 'one of "v2", "v3", "v4"'],
    ]);
    assert.equal(errors[0]!.message, 'expected an application name, got nothing (the field is missing)');
    assert.equal(errors[3]!.message, 'expected a whole number ≥ 0, got -2');
  });

  test('stages must be a non-empty list', () => {
    for (const stages of [undefined, [], 'wait']) {
      const { errors } = expectErrors({ application: 'a', name: 'n', stages });
      assert.deepEqual(where(errors), [[undefined, '$.stages', 'a list of at least one stage']]);
    }
  });

  test('an element of stages that is not an object is an error at its index', () => {
    const { errors } = expectErrors(pipelineWith([wait('1'), 'wait']));
    assert.deepEqual(where(errors), [[undefined, '$.stages[1]', 'a stage object']]);
  });

  test('templated pipelines are refused', () => {
    const { errors } = expectErrors(pipelineWith([wait('1')], { type: 'templatedPipeline' }));
    assert.deepEqual(where(errors), [[undefined, '$.type', 'a plain pipeline (templated pipelines are not supported; export the rendered pipeline)']]);
  });

  test('an unknown pipeline key is kept in extras with a warning suggesting the known one', () => {
    const { pipeline, warnings } = expectValid(pipelineWith([wait('1')], { limitConcurent: true, owner: 'payments' }));
    assert.deepEqual(pipeline.extras, { limitConcurent: true, owner: 'payments' });
    assert.equal(pipeline.limitConcurrent, false);
    assert.deepEqual(where(warnings), [
      [undefined, '$.limitConcurent', 'a pipeline field'],
      [undefined, '$.owner', 'a pipeline field'],
    ]);
    assert.match(warnings[0]!.message, /did you mean "limitConcurrent"\?/);
    assert.doesNotMatch(warnings[1]!.message, /did you mean/);
  });

  test('an older expression evaluator is a warning: Gennaker evaluates at stage start', () => {
    const { pipeline, warnings } = expectValid(pipelineWith([wait('1')], { spelEvaluator: 'v3' }));
    assert.equal(pipeline.spelEvaluator, 'v3');
    assert.deepEqual(where(warnings), [[undefined, '$.spelEvaluator', '"v4"']]);
  });

  test('null values are read as absent, as Orca reads them', () => {
    const { pipeline } = expectValid(pipelineWith([wait('1', [], { stageTimeoutMs: null, comments: null })], { limitConcurrent: null, description: null }));
    assert.equal(pipeline.limitConcurrent, false);
    assert.equal(pipeline.stages[0]!.stageTimeoutMs, undefined);
    assert.deepEqual(pipeline.extras, {});
  });

  test('duplicate parameter names are an error', () => {
    const { errors } = expectErrors(pipelineWith([wait('1')], { parameterConfig: [{ name: 'env' }, { name: 'version' }, { name: 'env' }] }));
    assert.deepEqual(where(errors), [[undefined, '$.parameterConfig[2].name', 'a parameter name no other parameter uses']]);
  });

  test('parameters get Deck defaults and keep their extra fields', () => {
    const { pipeline } = expectValid(pipelineWith([wait('1')], { parameterConfig: [{ name: 'env', default: 'prod', inline: true }] }));
    assert.deepEqual(pipeline.parameterConfig, [
      { name: 'env', default: 'prod', inline: true, required: false, hasOptions: false, options: [], pinned: false },
    ]);
  });

  test('triggers: cron needs an expression, a pipeline trigger needs what it watches, enabled is warned about when absent', () => {
    const { errors, warnings } = expectErrors(
      pipelineWith([wait('1')], { triggers: [{ type: 'cron', enabled: true }, { type: 'pipeline', enabled: true, application: 'billing' }, { type: 'manual' }, { enabled: true }] }),
    );
    assert.deepEqual(where(errors), [
      [undefined, '$.triggers[0].cronExpression', 'a cron expression (Quartz syntax, with a seconds field)'],
      [undefined, '$.triggers[1].pipeline', 'the id of the pipeline this trigger watches'],
      [undefined, '$.triggers[3].type', 'a trigger type such as manual, cron, pipeline or webhook'],
    ]);
    assert.deepEqual(where(warnings), [
      [undefined, '$.triggers[2].enabled', 'true or false'],
      [undefined, '$.triggers[1].application', 'an application this installation knows'],
    ]);
  });

  test('notifications are checked entry by entry', () => {
    const { errors } = expectErrors(pipelineWith([wait('1')], { notifications: [{ type: 'slack', when: 'pipeline.failed' }, { address: 'x' }] }));
    assert.deepEqual(where(errors), [
      [undefined, '$.notifications[0].when', 'a list'],
      [undefined, '$.notifications[1].type', 'a notification type such as email or slack'],
    ]);
  });
});

describe('stage fields every stage has', () => {
  test('execution windows are checked field by field', () => {
    const { errors } = expectErrors(
      pipelineWith([
        wait('1', [], {
          restrictExecutionDuringTimeWindow: true,
          restrictedExecutionWindow: {
            whitelist: [{ startHour: 25, startMin: 0, endHour: 6, endMin: '60' }],
            days: [0, 7],
            jitter: { enabled: true, minDelay: 60, maxDelay: 30 },
          },
        }),
      ]),
    );
    assert.deepEqual(where(errors), [
      ['1', '$.stages[0].restrictedExecutionWindow.whitelist[0].startHour', 'an hour from 0 to 23'],
      ['1', '$.stages[0].restrictedExecutionWindow.whitelist[0].endMin', 'a minute from 0 to 59'],
      ['1', '$.stages[0].restrictedExecutionWindow.days[0]', 'a java.util.Calendar weekday: 1 = Sunday, 2 = Monday, … 7 = Saturday'],
      ['1', '$.stages[0].restrictedExecutionWindow.jitter.maxDelay', 'maxDelay to be at least minDelay'],
    ]);
  });

  test('a window is normalised by the time rules\' schema, with hours written as strings read as numbers', () => {
    const { pipeline } = expectValid(
      pipelineWith([wait('1', [], { restrictExecutionDuringTimeWindow: 'true', restrictedExecutionWindow: { whitelist: [{ startHour: '22', startMin: 0, endHour: 6, endMin: 0 }], timezone: 'Europe/Zurich' } })]),
    );
    assert.equal(pipeline.stages[0]!.restrictExecutionDuringTimeWindow, true);
    assert.deepEqual(pipeline.stages[0]!.restrictedExecutionWindow, {
      whitelist: [{ startHour: 22, startMin: 0, endHour: 6, endMin: 0 }],
      days: [],
      jitter: { enabled: false, minDelay: 0, maxDelay: 0, skipManual: false },
      timezone: 'Europe/Zurich',
    });
  });

  test('stageEnabled, stageTimeoutMs and name are checked', () => {
    const { errors } = expectErrors(pipelineWith([wait('1', [], { stageEnabled: { type: 'boolean', expression: '' }, stageTimeoutMs: 1.5, name: '' })]));
    assert.deepEqual(where(errors), [
      ['1', '$.stages[0].name', 'a non-empty stage name'],
      ['1', '$.stages[0].stageEnabled.type', 'the value "expression"'],
      ['1', '$.stages[0].stageEnabled.expression', 'a non-empty expression'],
      ['1', '$.stages[0].stageTimeoutMs', 'a whole number of milliseconds ≥ 1'],
    ]);
  });

  test('an unknown stage type is an error naming the refId, listing the known types and the closest', () => {
    const { errors } = expectErrors(pipelineWith([wait('1'), { ...wait('2', ['1']), type: 'manualJudgement' }, { refId: '3', requisiteStageRefIds: ['1'] }]));
    const expected = 'a stage type: one of wait, manualJudgment, checkPreconditions, evaluateVariables, webhook, pipeline, runJob, enableServerGroup, disableServerGroup, destroyServerGroup, resizeServerGroup, cloneServerGroup, disableCluster, scaleDownCluster, shrinkCluster, findImageFromCluster, setTrafficWeights';
    assert.deepEqual(where(errors), [
      ['2', '$.stages[1].type', expected],
      ['3', '$.stages[2].type', expected],
    ]);
    assert.match(errors[0]!.message, /got "manualJudgement"; did you mean "manualJudgment"\?$/);
    assert.match(errors[1]!.message, /got nothing \(the field is missing\)$/);
  });

  test('unknown stage keys are kept in the context, each with a warning and a suggestion when close', () => {
    const { pipeline, warnings } = expectValid(pipelineWith([wait('1', [], { waitTme: 10, isNew: true, failpipeline: false })]));
    assert.deepEqual(pipeline.stages[0]!.context, { waitTime: 5, waitTme: 10, isNew: true, failpipeline: false });
    assert.deepEqual(where(warnings), [
      ['1', '$.stages[0].waitTme', 'a field of a wait stage'],
      ['1', '$.stages[0].isNew', 'a field of a wait stage'],
      ['1', '$.stages[0].failpipeline', 'a field of a wait stage'],
    ]);
    assert.equal(warnings[0]!.message, 'unknown field "waitTme" for a wait stage; did you mean "waitTime"? (kept as given, not used)');
    assert.equal(warnings[1]!.message, 'unknown field "isNew" for a wait stage (kept as given, not used)');
    assert.match(warnings[2]!.message, /did you mean "failPipeline"\?/);
  });

  test('stage notifications are shared by every stage type and checked', () => {
    const { pipeline } = expectValid(pipelineWith([wait('1', [], { sendNotifications: true, notifications: [{ type: 'email', address: 'ops@example.com', when: ['stage.failed'] }] })]));
    assert.deepEqual(pipeline.stages[0]!.context, {
      waitTime: 5,
      sendNotifications: true,
      notifications: [{ type: 'email', address: 'ops@example.com', when: ['stage.failed'] }],
    });
    const { errors } = expectErrors(pipelineWith([wait('1', [], { sendNotifications: 'often', notifications: [{ when: [] }] })]));
    assert.deepEqual(where(errors), [
      ['1', '$.stages[0].sendNotifications', 'true or false'],
      ['1', '$.stages[0].notifications[0].type', 'a notification type such as email or slack'],
    ]);
  });
});

describe('collecting every error', () => {
  test('a file with many problems reports each with refId, JSON path and what was expected', () => {
    const { errors } = expectErrors(loadFixture('invalid-stage-fields.json'));
    assert.deepEqual(where(errors), [
      [undefined, '$.limitConcurrent', 'true or false'],
      ['1', '$.stages[0].variables[0].key', 'a non-empty variable name'],
      ['2', '$.stages[1].type', 'a stage type: one of wait, manualJudgment, checkPreconditions, evaluateVariables, webhook, pipeline, runJob, enableServerGroup, disableServerGroup, destroyServerGroup, resizeServerGroup, cloneServerGroup, disableCluster, scaleDownCluster, shrinkCluster, findImageFromCluster, setTrafficWeights'],
      ['3', '$.stages[2].waitTime', 'a number of seconds, 0 or more'],
      ['4', '$.stages[3].method', 'an HTTP method (GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS)'],
      ['4', '$.stages[3].url', 'the URL to call (only a monitorOnly webhook with a statusEndpoint can do without)'],
      ['5', '$.stages[4].stageTimeoutMs', 'a whole number of milliseconds ≥ 1'],
      ['5', '$.stages[4].judgmentInputs[0].value', 'a non-empty option text'],
    ]);
    assert.equal(errors[3]!.message, 'expected a number of seconds, 0 or more, got "soon"');
  });

  test('stage errors and graph errors are reported together', () => {
    const { errors } = expectErrors(pipelineWith([wait('1', [], { waitTime: 'soon' }), wait('2', ['7'])]));
    assert.deepEqual(where(errors), [
      ['1', '$.stages[0].waitTime', 'a number of seconds, 0 or more'],
      ['2', '$.stages[1].requisiteStageRefIds[0]', 'the refId of another stage (one of "1", "2")'],
    ]);
  });
});

describe('references to things outside the pipeline', () => {
  const childPipeline = { refId: '1', type: 'pipeline', application: 'billing', pipeline: 'p-42' };
  const clusterCheck = {
    refId: '2',
    requisiteStageRefIds: ['1'],
    type: 'checkPreconditions',
    preconditions: [{ type: 'clusterSize', context: { cluster: 'billing-prod', credentials: 'prod-aws', regions: ['us-east-1'] } }],
  };
  const input = pipelineWith([childPipeline, clusterCheck], { triggers: [{ type: 'pipeline', enabled: true, application: 'ledger', pipeline: 'nightly' }] });

  test('without answers from the installation every reference is an unknown-reference warning', () => {
    const { warnings } = expectValid(input);
    assert.deepEqual(where(warnings), [
      [undefined, '$.triggers[0].application', 'an application this installation knows'],
      [undefined, '$.triggers[0].pipeline', 'the id of a pipeline of application "ledger" this installation knows'],
      ['1', '$.stages[0].application', 'an application this installation knows'],
      ['1', '$.stages[0].pipeline', 'the id of a pipeline of application "billing" this installation knows'],
      ['2', '$.stages[1].preconditions[0].context.credentials', 'an account this installation knows'],
    ]);
    assert.equal(warnings[4]!.message, 'account "prod-aws" is not known to this installation');
  });

  test('strict makes them errors', () => {
    const { errors, warnings } = expectErrors(input, { strict: true });
    assert.equal(errors.length, 5);
    assert.deepEqual(warnings, []);
  });

  test('references the installation knows raise nothing, even when strict', () => {
    const { warnings } = expectValid(input, {
      strict: true,
      references: {
        applicationExists: (name) => ['billing', 'ledger'].includes(name),
        pipelineExists: (application, id) => `${application}/${id}` === 'billing/p-42' || `${application}/${id}` === 'ledger/nightly',
        accountExists: (name) => name === 'prod-aws',
      },
    });
    assert.deepEqual(warnings, []);
  });

  test('only the unknown ones are reported', () => {
    const { errors } = expectErrors(input, {
      strict: true,
      references: { applicationExists: () => true, pipelineExists: (application) => application === 'ledger', accountExists: () => true },
    });
    assert.deepEqual(where(errors), [['1', '$.stages[0].pipeline', 'the id of a pipeline of application "billing" this installation knows']]);
  });

  test('references written as expressions are resolved at run time, so they are not checked', () => {
    const { warnings } = expectValid(pipelineWith([{ refId: '1', type: 'pipeline', application: '${parameters.app}', pipeline: '${parameters.id}' }]), { strict: true });
    assert.deepEqual(warnings, []);
  });
});

describe('references next to other errors', () => {
  test('an unknown reference is reported even when another field of the stage is wrong', () => {
    const { errors, warnings } = expectErrors(pipelineWith([{ refId: '1', type: 'pipeline', application: 'billing', pipeline: 'p-1', stageTimeoutMs: 'never' }]));
    assert.deepEqual(where(errors), [['1', '$.stages[0].stageTimeoutMs', 'a whole number of milliseconds ≥ 1']]);
    assert.deepEqual(warnings.map((issue) => issue.path), ['$.stages[0].application', '$.stages[0].pipeline']);
  });
});

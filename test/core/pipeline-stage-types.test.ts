import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { z } from 'zod';
import { builtInStageTypes } from '../../src/core/pipeline/stage-types/built-in.js';
import { defineStageType } from '../../src/core/pipeline/stage-types/stage-type.js';
import { waitStageSchema } from '../../src/core/pipeline/stage-types/wait.js';
import { nonEmptyText, numberOrExpression } from '../../src/core/pipeline/value-or-expression.js';
import { expectErrors, expectValid, pipelineWith, where } from './pipeline-support.js';

/** One stage of the given type with refId 1, validated in a pipeline of its own. */
function single(type: string, fields: Record<string, unknown>): unknown {
  return pipelineWith([{ refId: '1', requisiteStageRefIds: [], type, name: `A ${type} stage`, ...fields }]);
}

function contextOf(type: string, fields: Record<string, unknown>): Readonly<Record<string, unknown>> {
  return expectValid(single(type, fields)).pipeline.stages[0]!.context;
}

function errorsOf(type: string, fields: Record<string, unknown>): [string | undefined, string, string][] {
  return where(expectErrors(single(type, fields)).errors);
}

describe('wait', () => {
  test('waitTime in seconds, from a number, a numeric string or an expression', () => {
    assert.deepEqual(contextOf('wait', { waitTime: 30, skipWaitText: 'ok' }), { waitTime: 30, skipWaitText: 'ok' });
    assert.deepEqual(contextOf('wait', { waitTime: '45' }), { waitTime: 45 });
    assert.deepEqual(contextOf('wait', { waitTime: '${parameters.delay}' }), { waitTime: '${parameters.delay}' });
  });

  test('waitTime missing, negative or not a number is an error naming refId, path and expectation', () => {
    for (const waitTime of [undefined, -1, 'soon', true, '']) {
      const { errors } = expectErrors(single('wait', waitTime === undefined ? {} : { waitTime }));
      assert.deepEqual(where(errors), [['1', '$.stages[0].waitTime', 'a number of seconds or an expression']]);
    }
    const { errors } = expectErrors(single('wait', { waitTime: 'soon' }));
    assert.equal(errors[0]!.message, 'expected a number of seconds or an expression, got "soon"');
  });
});

describe('manualJudgment', () => {
  test('defaults and fields', () => {
    assert.deepEqual(contextOf('manualJudgment', {}), {
      judgmentInputs: [],
      propagateAuthenticationContext: false,
      preventSelfApproval: false,
      selectedStageRoles: [],
    });
    assert.deepEqual(
      contextOf('manualJudgment', {
        instructions: 'Promote?',
        judgmentInputs: [{ value: 'Promote' }, { value: 'Stop' }],
        propagateAuthenticationContext: '${parameters.asApprover}',
        selectedStageRoles: ['release'],
        notifications: [{ type: 'slack', address: 'ops', when: ['manualJudgment'], notifyEveryMs: '600000' }],
      }),
      {
        instructions: 'Promote?',
        judgmentInputs: [{ value: 'Promote' }, { value: 'Stop' }],
        propagateAuthenticationContext: '${parameters.asApprover}',
        preventSelfApproval: false,
        selectedStageRoles: ['release'],
        notifications: [{ type: 'slack', address: 'ops', when: ['manualJudgment'], notifyEveryMs: 600000 }],
      },
    );
  });

  test('bad fields', () => {
    assert.deepEqual(errorsOf('manualJudgment', { instructions: 7, judgmentInputs: [{ value: '' }], selectedStageRoles: 'release', propagateAuthenticationContext: 'maybe' }), [
      ['1', '$.stages[0].instructions', 'a string'],
      ['1', '$.stages[0].judgmentInputs[0].value', 'a non-empty option text'],
      ['1', '$.stages[0].propagateAuthenticationContext', 'true, false or an expression'],
      ['1', '$.stages[0].selectedStageRoles', 'a list'],
    ]);
  });
});

describe('checkPreconditions', () => {
  test('the three precondition types, with their defaults', () => {
    const context = contextOf('checkPreconditions', {
      preconditions: [
        { type: 'expression', context: { expression: "parameters.env == 'prod'" } },
        { type: 'stageStatus', failPipeline: false, context: { stageName: 'Deploy', stageStatus: 'SUCCEEDED' } },
        { type: 'clusterSize', context: { cluster: 'checkout-prod', credentials: 'prod', regions: ['eu-west-1'], expected: '2' } },
      ],
    });
    assert.deepEqual(context['preconditions'], [
      { type: 'expression', failPipeline: true, context: { expression: "parameters.env == 'prod'" } },
      { type: 'stageStatus', failPipeline: false, context: { stageName: 'Deploy', stageStatus: 'SUCCEEDED' } },
      { type: 'clusterSize', failPipeline: true, context: { cluster: 'checkout-prod', credentials: 'prod', regions: ['eu-west-1'], comparison: '==', expected: 2 } },
    ]);
  });

  test('an unknown precondition type, and bad fields inside each type', () => {
    assert.deepEqual(
      errorsOf('checkPreconditions', {
        preconditions: [
          { type: 'quorum' },
          { type: 'expression', context: {} },
          { type: 'stageStatus', context: { stageName: 'Deploy', stageStatus: 'DONE' } },
          { type: 'clusterSize', context: { cluster: 'c', credentials: 'prod', regions: [], comparison: '!=' } },
        ],
      }),
      [
        ['1', '$.stages[0].preconditions[0].type', 'one of "expression", "stageStatus", "clusterSize"'],
        ['1', '$.stages[0].preconditions[1].context.expression', 'a non-empty expression'],
        ['1', '$.stages[0].preconditions[2].context.stageStatus', 'an execution status such as SUCCEEDED, or an expression'],
        ['1', '$.stages[0].preconditions[3].context.regions', 'at least one region'],
        ['1', '$.stages[0].preconditions[3].context.comparison', 'one of <, <=, ==, >=, > or an expression'],
      ],
    );
  });
});

describe('evaluateVariables', () => {
  test('variables keep their order and any JSON value', () => {
    const variables = [
      { key: 'version', value: '${parameters.version}', description: 'the version' },
      { key: 'replicas', value: 3 },
      { key: 'regions', value: ['eu-west-1'] },
    ];
    assert.deepEqual(contextOf('evaluateVariables', { variables }), { variables });
  });

  test('a variable needs a key', () => {
    assert.deepEqual(errorsOf('evaluateVariables', { variables: [{ key: 'a', value: 1 }, { key: '', value: 2 }, 'x'] }), [
      ['1', '$.stages[0].variables[1].key', 'a non-empty variable name'],
      ['1', '$.stages[0].variables[2]', 'an object'],
    ]);
  });
});

describe('webhook', () => {
  test('method defaults to POST; status codes from strings; status lists stay comma-separated text', () => {
    assert.deepEqual(
      contextOf('webhook', {
        url: 'https://ci.example.com/hooks/deploy',
        customHeaders: { 'X-Token': '${parameters.token}', Accept: ['application/json'] },
        payload: { ref: 'main' },
        failFastStatusCodes: ['400', 404],
        retryStatusCodes: '${parameters.retryOn}',
        waitForCompletion: 'true',
        statusUrlResolution: 'webhookResponse',
        statusUrlJsonPath: '$.links.status',
        statusJsonPath: '$.status',
        progressJsonPath: '$.progress',
        successStatuses: 'SUCCESS,DONE',
        canceledStatuses: 'CANCELED',
        terminalStatuses: 'FAILED',
        cancelEndpoint: 'https://ci.example.com/hooks/deploy/cancel',
        cancelMethod: 'DELETE',
        cancelPayload: {},
      }),
      {
        url: 'https://ci.example.com/hooks/deploy',
        method: 'POST',
        customHeaders: { 'X-Token': '${parameters.token}', Accept: ['application/json'] },
        payload: { ref: 'main' },
        failFastStatusCodes: [400, 404],
        retryStatusCodes: '${parameters.retryOn}',
        waitForCompletion: true,
        statusUrlResolution: 'webhookResponse',
        statusUrlJsonPath: '$.links.status',
        statusJsonPath: '$.status',
        progressJsonPath: '$.progress',
        successStatuses: 'SUCCESS,DONE',
        canceledStatuses: 'CANCELED',
        terminalStatuses: 'FAILED',
        cancelEndpoint: 'https://ci.example.com/hooks/deploy/cancel',
        cancelMethod: 'DELETE',
        cancelPayload: {},
        monitorOnly: false,
      },
    );
  });

  test('the URL may be an expression', () => {
    assert.equal(contextOf('webhook', { url: '${parameters.hook}' })['url'], '${parameters.hook}');
  });

  test('bad fields, each with its own path', () => {
    assert.deepEqual(
      errorsOf('webhook', {
        url: 'ftp://files.example.com',
        method: 'post',
        customHeaders: { 'X-Count': 3 },
        failFastStatusCodes: [700],
        statusUrlResolution: 'poll',
        successStatuses: ['SUCCESS'],
        monitorOnly: 'no',
      }),
      [
        ['1', '$.stages[0].url', 'an http:// or https:// URL, or an expression'],
        ['1', '$.stages[0].method', 'one of GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS or an expression'],
        ['1', '$.stages[0].customHeaders["X-Count"]', 'a header value (text, or a list of text)'],
        ['1', '$.stages[0].failFastStatusCodes', 'a list of HTTP status codes (100–599) or an expression'],
        ['1', '$.stages[0].statusUrlResolution', 'one of getMethod, locationHeader, webhookResponse or an expression'],
        ['1', '$.stages[0].successStatuses', 'a comma-separated list of statuses, e.g. "SUCCESS,DONE"'],
        ['1', '$.stages[0].monitorOnly', 'true, false or an expression'],
      ],
    );
  });

  test('waiting for completion needs a status path; a status URL from the response needs its path', () => {
    assert.deepEqual(errorsOf('webhook', { url: 'https://x.example', waitForCompletion: true, statusUrlResolution: 'webhookResponse' }), [
      ['1', '$.stages[0].statusJsonPath', 'a JSON path to the status in the monitored response, because waitForCompletion is true'],
      ['1', '$.stages[0].statusUrlJsonPath', 'a JSON path to the status URL in the response, because statusUrlResolution is webhookResponse'],
    ]);
  });
});

describe('pipeline', () => {
  test('waitForCompletion defaults to true; parameters default to none', () => {
    assert.deepEqual(contextOf('pipeline', { application: 'billing', pipeline: 'p-1' }), {
      application: 'billing',
      pipeline: 'p-1',
      pipelineParameters: {},
      waitForCompletion: true,
    });
  });

  test('application and pipeline are required', () => {
    assert.deepEqual(errorsOf('pipeline', { pipelineParameters: [] }), [
      ['1', '$.stages[0].application', 'the application of the pipeline to run'],
      ['1', '$.stages[0].pipeline', 'the id of the pipeline to run'],
      ['1', '$.stages[0].pipelineParameters', 'an object'],
    ]);
  });
});

describe('runJob (a local command)', () => {
  test('a shell command line or a program with arguments, with defaults', () => {
    assert.deepEqual(contextOf('runJob', { command: 'make release' }), {
      cloudProvider: 'local',
      command: 'make release',
      env: {},
      timeoutSeconds: 7200,
      logTailLines: 100,
    });
    assert.deepEqual(
      contextOf('runJob', { cloudProvider: 'local', command: ['npm', 'run', 'smoke'], env: { PORT: 8080, CI: true, NAME: 'x' }, workingDirectory: '/srv/app', timeoutSeconds: '600', logTailLines: 20 }),
      { cloudProvider: 'local', command: ['npm', 'run', 'smoke'], env: { PORT: '8080', CI: 'true', NAME: 'x' }, workingDirectory: '/srv/app', timeoutSeconds: 600, logTailLines: 20 },
    );
  });

  test("Spinnaker's Kubernetes-shaped runJob is refused with the reason", () => {
    const { errors, warnings } = expectErrors(single('runJob', { cloudProvider: 'kubernetes', account: 'k8s-prod', manifest: { kind: 'Job' } }));
    assert.deepEqual(where(errors), [
      ['1', '$.stages[0].cloudProvider', '"local" (Gennaker runs jobs as local commands; Kubernetes job manifests are not supported)'],
      ['1', '$.stages[0].command', 'a command: a non-empty string (run by the shell) or a list of program and arguments'],
    ]);
    assert.deepEqual(warnings.map((issue) => issue.path), ['$.stages[0].account', '$.stages[0].manifest']);
  });

  test('bad commands, environments and limits', () => {
    for (const command of ['', '   ', [], [''], ['ls', 3]]) {
      assert.deepEqual(errorsOf('runJob', { command }), [
        ['1', '$.stages[0].command', 'a command: a non-empty string (run by the shell) or a list of program and arguments'],
      ]);
    }
    assert.deepEqual(errorsOf('runJob', { command: 'true', env: { A: { nested: 1 } }, timeoutSeconds: 0, logTailLines: 1.5 }), [
      ['1', '$.stages[0].env.A', 'text, a number or true/false'],
      ['1', '$.stages[0].timeoutSeconds', 'a number of seconds ≥ 1 or an expression'],
      ['1', '$.stages[0].logTailLines', 'a whole number ≥ 0 or an expression'],
    ]);
  });
});

describe('the stage-type registry', () => {
  test('lists the built-in types', () => {
    assert.deepEqual(Object.keys(builtInStageTypes), ['wait', 'manualJudgment', 'checkPreconditions', 'evaluateVariables', 'webhook', 'pipeline', 'runJob']);
    assert.equal(builtInStageTypes['wait']!.schema, waitStageSchema);
  });

  test('can be extended at composition time with a new stage type and its references', () => {
    const scaleSchema = z.looseObject({ account: nonEmptyText('an account name'), replicas: numberOrExpression({ integer: true, min: 0 }) });
    const stageTypes = {
      ...builtInStageTypes,
      scale: defineStageType(scaleSchema, (context) => [{ kind: 'account', name: context.account, path: ['account'] }]),
    };
    const input = single('scale', { account: 'prod', replicas: '3' });
    const { pipeline, warnings } = expectValid(input, { stageTypes });
    assert.deepEqual(pipeline.stages[0]!.context, { account: 'prod', replicas: 3 });
    assert.deepEqual(where(warnings), [['1', '$.stages[0].account', 'an account this installation knows']]);
    assert.deepEqual(where(expectErrors(single('scale', { account: 'prod', replicas: -1 }), { stageTypes }).errors), [
      ['1', '$.stages[0].replicas', 'a whole number ≥ 0 or an expression'],
    ]);
    assert.match(expectErrors(input).errors[0]!.expected, /^a stage type: one of wait, .*runJob$/);
  });
});

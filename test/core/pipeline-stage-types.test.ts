import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { z } from 'zod';
import { executionStatuses } from '../../src/core/execution/status.js';
import { builtInStageTypes } from '../../src/core/pipeline/stage-types/built-in.js';
import { defineStageType, type ExternalReference } from '../../src/core/pipeline/stage-types/stage-type.js';
import { waitStageSchema } from '../../src/core/pipeline/stage-types/wait.js';
import { trimmedText, wholeNumber } from '../../src/core/pipeline/stage-fields.js';
import { isExpression } from '../../src/core/pipeline/value-or-expression.js';
import { expectErrors, expectValid, pipelineWith, where } from './pipeline-support.js';

/** One stage of the given type with refId 1, validated in a pipeline of its own. */
function single(type: string, fields: Record<string, unknown>): unknown {
  return pipelineWith([{ refId: '1', requisiteStageRefIds: [], type, name: `A ${type} stage`, ...fields }]);
}

/** The saved stage's context: the type's own fields as written. */
function contextOf(type: string, fields: Record<string, unknown>): Readonly<Record<string, unknown>> {
  return expectValid(single(type, fields)).pipeline.stages[0]!.context;
}

/** What the engine's parse of the saved stage gives, for fields without expressions: defaults and conversions. */
function inputOf(type: string, fields: Record<string, unknown>): unknown {
  return builtInStageTypes[type]!.schema.parse(contextOf(type, fields));
}

function errorsOf(type: string, fields: Record<string, unknown>): [string | undefined, string, string][] {
  return where(expectErrors(single(type, fields)).errors);
}

describe('wait', () => {
  test('waitTime in seconds, from a number, a numeric string or an expression', () => {
    assert.deepEqual(inputOf('wait', { waitTime: 30, skipWaitText: 'ok' }), { waitTime: 30, skipWaitText: 'ok' });
    assert.deepEqual(contextOf('wait', { waitTime: '45' }), { waitTime: '45' });
    assert.deepEqual(inputOf('wait', { waitTime: '45' }), { waitTime: 45 });
    assert.deepEqual(contextOf('wait', { waitTime: '${parameters.delay}' }), { waitTime: '${parameters.delay}' });
  });

  test('waitTime missing, negative or not a number is an error naming refId, path and expectation', () => {
    for (const waitTime of [undefined, -1, 'soon', true, '']) {
      const { errors } = expectErrors(single('wait', waitTime === undefined ? {} : { waitTime }));
      assert.deepEqual(where(errors), [['1', '$.stages[0].waitTime', 'a number of seconds, 0 or more']]);
    }
    const { errors } = expectErrors(single('wait', { waitTime: 'soon' }));
    assert.equal(errors[0]!.message, 'expected a number of seconds, 0 or more, got "soon"');
  });
});

describe('manualJudgment', () => {
  test('defaults and fields', () => {
    assert.deepEqual(contextOf('manualJudgment', {}), {});
    assert.deepEqual(inputOf('manualJudgment', {}), {
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
        preventSelfApproval: 'false',
        selectedStageRoles: ['release'],
        notifications: [{ type: 'slack', address: 'ops', when: ['manualJudgment'], notifyEveryMs: '600000' }],
      }),
      {
        instructions: 'Promote?',
        judgmentInputs: [{ value: 'Promote' }, { value: 'Stop' }],
        propagateAuthenticationContext: '${parameters.asApprover}',
        preventSelfApproval: 'false',
        selectedStageRoles: ['release'],
        notifications: [{ type: 'slack', address: 'ops', when: ['manualJudgment'], notifyEveryMs: 600000 }],
      },
    );
  });

  test('bad fields', () => {
    assert.deepEqual(errorsOf('manualJudgment', { instructions: 7, judgmentInputs: [{ value: '' }], selectedStageRoles: 'release', propagateAuthenticationContext: 'maybe' }), [
      ['1', '$.stages[0].instructions', 'text'],
      ['1', '$.stages[0].judgmentInputs[0].value', 'a non-empty option text'],
      ['1', '$.stages[0].propagateAuthenticationContext', 'true or false'],
      ['1', '$.stages[0].selectedStageRoles', 'a list of role names'],
    ]);
  });
});

describe('checkPreconditions', () => {
  test('the three precondition types, with their defaults', () => {
    const input = inputOf('checkPreconditions', {
      preconditions: [
        { type: 'expression', context: { expression: "parameters.env == 'prod'" } },
        { type: 'stageStatus', failPipeline: false, context: { stageName: 'Deploy', stageStatus: 'SUCCEEDED' } },
        { type: 'clusterSize', context: { cluster: 'checkout-prod', credentials: 'prod', regions: ['eu-west-1'], expected: '2' } },
      ],
    });
    assert.deepEqual((input as Record<string, unknown>)['preconditions'], [
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
        ['1', '$.stages[0].preconditions[0].type', 'a precondition type: expression, stageStatus, clusterSize'],
        ['1', '$.stages[0].preconditions[1].context.expression', 'an expression (text) or true/false'],
        ['1', '$.stages[0].preconditions[2].context.stageStatus', `a stage status (${executionStatuses.join(', ')})`],
        ['1', '$.stages[0].preconditions[3].context.regions', 'at least one region'],
        ['1', '$.stages[0].preconditions[3].context.comparison', 'a comparison: one of <, <=, ==, >=, >'],
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
    assert.deepEqual(errorsOf('checkPreconditions', { preconditions: '${parameters.checks}' }), [
      ['1', '$.stages[0].preconditions', 'a list of preconditions'],
    ]);
    assert.deepEqual(errorsOf('evaluateVariables', { variables: [{ key: 'a', value: 1 }, { key: '', value: 2 }, 'x'] }), [
      ['1', '$.stages[0].variables[1].key', 'a non-empty variable name'],
      ['1', '$.stages[0].variables[2]', 'a variable {"key": …, "value": …}'],
    ]);
  });
});

describe('webhook', () => {
  test('method defaults to POST; status codes and status lists from text; the saved context is as written', () => {
    const fields = {
      url: 'https://ci.example.com/hooks/deploy',
      customHeaders: { 'X-Token': '${parameters.token}' },
      failFastStatusCodes: ['400', 404],
      retryStatusCodes: '${parameters.retryOn}',
      waitForCompletion: 'true',
      statusJsonPath: '$.status',
    };
    assert.deepEqual(contextOf('webhook', fields), fields);
    assert.deepEqual(
      inputOf('webhook', {
        url: 'https://ci.example.com/hooks/deploy',
        customHeaders: { Accept: ['application/json'] },
        payload: { ref: 'main' },
        failFastStatusCodes: ['400', 404],
        retryStatusCodes: '429, 503',
        waitForCompletion: 'true',
        statusUrlResolution: 'webhookResponse',
        statusUrlJsonPath: '$.links.status',
        statusJsonPath: '$.status',
        progressJsonPath: '$.progress',
        successStatuses: 'SUCCESS, DONE',
        canceledStatuses: 'CANCELED',
        terminalStatuses: 'FAILED',
      }),
      {
        url: 'https://ci.example.com/hooks/deploy',
        method: 'POST',
        customHeaders: { Accept: ['application/json'] },
        payload: { ref: 'main' },
        failFastStatusCodes: [400, 404],
        retryStatusCodes: [429, 503],
        waitForCompletion: true,
        waitBeforeMonitor: 0,
        statusUrlResolution: 'webhookResponse',
        statusUrlJsonPath: '$.links.status',
        statusJsonPath: '$.status',
        progressJsonPath: '$.progress',
        successStatuses: ['SUCCESS', 'DONE'],
        canceledStatuses: ['CANCELED'],
        terminalStatuses: ['FAILED'],
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
        method: 'fetch',
        customHeaders: { 'X-Count': { value: 3 } },
        failFastStatusCodes: [700],
        statusUrlResolution: 'poll',
        successStatuses: ['SUCCESS'],
        monitorOnly: 'no',
      }),
      [
        ['1', '$.stages[0].url', 'an http:// or https:// URL'],
        ['1', '$.stages[0].method', 'an HTTP method (GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS)'],
        ['1', '$.stages[0].customHeaders["X-Count"]', 'a header value: text or a list of texts'],
        ['1', '$.stages[0].failFastStatusCodes[0]', 'an HTTP status code (100 to 599)'],
        ['1', '$.stages[0].statusUrlResolution', 'one of getMethod, locationHeader, webhookResponse'],
        ['1', '$.stages[0].successStatuses', 'comma-separated statuses, e.g. "SUCCESS, DONE"'],
        ['1', '$.stages[0].monitorOnly', 'true or false'],
      ],
    );
  });

  test('a status URL from the response needs its path; monitorOnly needs waitForCompletion', () => {
    assert.deepEqual(errorsOf('webhook', { url: 'https://x.example', waitForCompletion: true, statusUrlResolution: 'webhookResponse', statusUrlJsonPath: ' ' }), [
      ['1', '$.stages[0].statusUrlJsonPath', 'the JSON path of the status URL in the response, as statusUrlResolution is webhookResponse'],
    ]);    assert.deepEqual(errorsOf('webhook', { statusEndpoint: 'https://x.example/status', monitorOnly: true, waitForCompletion: 'false' }), [
      ['1', '$.stages[0].waitForCompletion', 'true: a monitorOnly webhook only waits for completion'],
    ]);
  });
});

describe('pipeline', () => {
  test('waitForCompletion defaults to true; parameters default to none', () => {
    assert.deepEqual(inputOf('pipeline', { application: 'billing', pipeline: 'p-1' }), {
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
      ['1', '$.stages[0].pipelineParameters', 'a map of parameter names to values'],
    ]);
  });
});

describe('runJob (a local command)', () => {
  test('a shell command line or a program with arguments, with defaults', () => {
    assert.deepEqual(inputOf('runJob', { command: 'make release' }), {
      cloudProvider: 'local',
      command: 'make release',
      env: {},
      timeoutSeconds: 7200,
      logTailLines: 50,
      waitForCompletion: true,
    });
    assert.deepEqual(
      inputOf('runJob', { cloudProvider: 'local', command: ['npm', 'run', 'smoke'], env: { PORT: 8080, CI: true, NAME: 'x' }, workingDirectory: '/srv/app', timeoutSeconds: '600', logTailLines: 20 }),
      { cloudProvider: 'local', command: ['npm', 'run', 'smoke'], env: { PORT: '8080', CI: 'true', NAME: 'x' }, workingDirectory: '/srv/app', timeoutSeconds: 600, logTailLines: 20, waitForCompletion: true },
    );
  });

  test("Spinnaker's Kubernetes-shaped runJob is refused with the reason", () => {
    const { errors, warnings } = expectErrors(single('runJob', { cloudProvider: 'kubernetes', account: 'k8s-prod', manifest: { kind: 'Job' } }));
    assert.deepEqual(where(errors), [
      ['1', '$.stages[0].cloudProvider', '"local" (Gennaker runs jobs as local commands; Kubernetes job manifests are not supported)'],
      ['1', '$.stages[0].command', 'a command: a shell command line (text) or a list [program, ...arguments]'],
    ]);
    assert.deepEqual(warnings.map((issue) => issue.path), ['$.stages[0].account', '$.stages[0].manifest']);
  });

  test('bad commands, environments and limits', () => {
    const commandProblems: [unknown, string, string][] = [
      ['', '$.stages[0].command', 'a command: a shell command line (text) or a list [program, ...arguments]'],
      ['   ', '$.stages[0].command', 'a command: a shell command line (text) or a list [program, ...arguments]'],
      [[], '$.stages[0].command', 'at least the program to run'],
      [[''], '$.stages[0].command', 'the program to run first, not empty text'],
      [['ls', 3], '$.stages[0].command', 'a command: a shell command line (text) or a list [program, ...arguments]'],
    ];
    for (const [command, path, expected] of commandProblems) {
      assert.deepEqual(errorsOf('runJob', { command }), [['1', path, expected]], JSON.stringify(command));
    }
    assert.deepEqual(errorsOf('runJob', { command: 'true', env: { A: { nested: 1 } }, timeoutSeconds: 0, logTailLines: 1.5 }), [
      ['1', '$.stages[0].env.A', 'an environment value: text, a number or true/false'],
      ['1', '$.stages[0].timeoutSeconds', 'a whole number of seconds, 1 or more'],
      ['1', '$.stages[0].logTailLines', 'a whole number of lines, 0 or more'],
    ]);
  });
});

describe('the stage-type registry', () => {
  test('lists the built-in types', () => {
    assert.deepEqual(Object.keys(builtInStageTypes), [
      'wait',
      'manualJudgment',
      'checkPreconditions',
      'evaluateVariables',
      'webhook',
      'pipeline',
      'runJob',
      'enableServerGroup',
      'disableServerGroup',
      'destroyServerGroup',
      'resizeServerGroup',
      'cloneServerGroup',
      'disableCluster',
      'scaleDownCluster',
      'shrinkCluster',
      'findImageFromCluster',
      'setTrafficWeights',
    ]);
    assert.equal(builtInStageTypes['wait']!.schema, waitStageSchema);
  });

  test('can be extended at composition time with a new stage type and its references', () => {
    const scaleSchema = z.looseObject({ account: trimmedText('expected an account name'), replicas: wholeNumber(0, 'expected a whole number of replicas, 0 or more') });
    // The fields as written: an account given as an expression is only known at run time.
    const accountOf = ({ account }: Readonly<Record<string, unknown>>): ExternalReference[] =>
      typeof account === 'string' && !isExpression(account) ? [{ kind: 'account', name: account, path: ['account'] }] : [];
    const stageTypes = { ...builtInStageTypes, scale: defineStageType(scaleSchema, { references: accountOf }) };
    const input = single('scale', { account: 'prod', replicas: '3' });
    const { pipeline, warnings } = expectValid(input, { stageTypes });
    assert.deepEqual(pipeline.stages[0]!.context, { account: 'prod', replicas: '3' });
    assert.deepEqual(where(warnings), [['1', '$.stages[0].account', 'an account this installation knows']]);
    assert.deepEqual(where(expectErrors(single('scale', { account: 'prod', replicas: -1 }), { stageTypes }).errors), [
      ['1', '$.stages[0].replicas', 'a whole number of replicas, 0 or more'],
    ]);
    assert.deepEqual(expectValid(single('scale', { account: '${parameters.account}', replicas: '${parameters.replicas}' }), { stageTypes }).warnings, []);
    assert.match(expectErrors(input).errors[0]!.expected, /^a stage type: one of wait, .*runJob, .*setTrafficWeights$/);
  });
});

describe('one schema at save time and at run time', () => {
  test('a field holding an expression passes; a bad literal fails with the message the engine gives', () => {
    assert.deepEqual(contextOf('wait', { waitTime: '${parameters.delay * 2}' }), { waitTime: '${parameters.delay * 2}' });
    const saved = expectErrors(single('wait', { waitTime: 'later' })).errors;
    const atRunTime = waitStageSchema.safeParse({ waitTime: 'later' });
    assert.equal(atRunTime.success, false);
    assert.equal(atRunTime.error?.issues[0]?.message, 'expected a number of seconds, 0 or more');
    assert.deepEqual(where(saved), [['1', '$.stages[0].waitTime', 'a number of seconds, 0 or more']]);
    assert.equal(saved[0]!.message, 'expected a number of seconds, 0 or more, got "later"');
  });

  test('an expression inside a list or an object passes, and only there', () => {
    const fields = {
      url: 'https://ci.example.com/hooks',
      customHeaders: { 'X-Attempt': ['${execution.id}', 'x'] },
      failFastStatusCodes: ['${parameters.failFast}', 500],
      retryStatusCodes: [429, 'soon'],
      payload: { ids: ['${trigger.buildNumber}'] },
    };
    assert.deepEqual(errorsOf('webhook', fields), [['1', '$.stages[0].retryStatusCodes[1]', 'an HTTP status code (100 to 599)']]);
    const { retryStatusCodes: _bad, ...good } = fields;
    assert.deepEqual(contextOf('webhook', good), good);
  });

  test('rules between fields use only literal values, so an expression never trips one', () => {
    assert.deepEqual(contextOf('webhook', { url: 'https://x.example', monitorOnly: '${parameters.watch}', waitForCompletion: false }), {
      url: 'https://x.example',
      monitorOnly: '${parameters.watch}',
      waitForCompletion: false,
    });
    // A rule still fires next to a field that holds an expression.
    assert.deepEqual(errorsOf('webhook', { url: '${parameters.hook}', waitForCompletion: true, statusUrlResolution: 'webhookResponse' }), [
      ['1', '$.stages[0].statusUrlJsonPath', 'the JSON path of the status URL in the response, as statusUrlResolution is webhookResponse'],
    ]);
  });

  test('fields a stage evaluates itself are checked as written, expressions included', () => {
    const stageStatus = { type: 'stageStatus', context: { stageName: '${parameters.stage}', stageStatus: '${parameters.status}' } };
    assert.deepEqual(errorsOf('checkPreconditions', { preconditions: [stageStatus] }), [
      ['1', '$.stages[0].preconditions[0].context.stageStatus', `a stage status (${executionStatuses.join(', ')})`],
    ]);
    assert.deepEqual(errorsOf('checkPreconditions', { preconditions: '${parameters.checks}' }), [
      ['1', '$.stages[0].preconditions', 'a list of preconditions'],
    ]);
    assert.deepEqual(errorsOf('evaluateVariables', { variables: [{ key: 'v', value: '${1 +}' }, { key: 1, value: '${x}' }] }), [
      ['1', '$.stages[0].variables[1].key', 'a non-empty variable name'],
    ]);
  });

  test('references are read from the fields as written', () => {
    const { warnings } = expectValid(single('pipeline', { application: 'billing', pipeline: '${parameters.child}' }));
    assert.deepEqual(where(warnings), [['1', '$.stages[0].application', 'an application this installation knows']]);
    const cluster = { type: 'clusterSize', context: { cluster: 'c', credentials: 'prod', regions: ['eu-west-1'] } };
    const checks = expectValid(single('checkPreconditions', { preconditions: [cluster, { ...cluster, context: { ...cluster.context, credentials: '${parameters.account}' } }] }));
    assert.deepEqual(where(checks.warnings), [['1', '$.stages[0].preconditions[0].context.credentials', 'an account this installation knows']]);
  });
});

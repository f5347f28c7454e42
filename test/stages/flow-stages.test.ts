import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { builtInStages, manualJudgmentStage, noopStage, waitStage } from '../../src/stages/index.js';
import { assertTerminal, inputProblems, parseInput, plannedTasks, runTask } from './support.js';

describe('builtInStages', () => {
  test('lists each stage type once, with a task definition for everything it can plan', () => {
    const types = builtInStages().map((definition) => definition.type);
    assert.deepEqual(types, [
      'noop',
      'wait',
      'manualJudgment',
      'checkPreconditions',
      'checkPrecondition',
      'evaluateVariables',
      'webhook',
      'runJob',
      'pipeline',
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
  });
});

describe('noop', () => {
  test('plans one task that succeeds, and keeps unknown keys', async () => {
    const definition = noopStage();
    const input = parseInput(definition, { comments: 'kept' });
    assert.deepEqual(input, { comments: 'kept' });
    assert.deepEqual(plannedTasks(definition, input), ['noop']);
    assert.deepEqual(await runTask(definition, 'noop', { input }), { kind: 'succeeded' });
  });
});

describe('wait', () => {
  const definition = waitStage();

  test('reads waitTime as a number or as text, keeping UI keys', () => {
    assert.equal(parseInput(definition, { waitTime: 30 }).waitTime, 30);
    const fromText = parseInput(definition, { waitTime: ' 45 ', skipWaitText: 'Skip it', comments: 'ui' });
    assert.equal(fromText.waitTime, 45);
    assert.equal(fromText.skipWaitText, 'Skip it');
    assert.equal(fromText['comments'], 'ui');
  });

  test('refuses a missing, negative or non-numeric waitTime, naming the field', () => {
    for (const raw of [{}, { waitTime: -1 }, { waitTime: 'soon' }, { waitTime: null }]) {
      assert.deepEqual(inputProblems(definition, raw), ['waitTime: expected a number of seconds, 0 or more']);
    }
  });

  test('sleeps exactly the remaining stage time, paused time excluded', async () => {
    const input = parseInput(definition, { waitTime: 30 });
    assert.deepEqual(await runTask(definition, 'wait', { input, elapsedMs: 0 }), { kind: 'running', backoffMs: 30_000 });
    assert.deepEqual(await runTask(definition, 'wait', { input, elapsedMs: 12_500 }), { kind: 'running', backoffMs: 17_500 });
    assert.deepEqual(await runTask(definition, 'wait', { input, elapsedMs: 30_000 }), { kind: 'succeeded' });
    assert.deepEqual(await runTask(definition, 'wait', { input, elapsedMs: 31_000 }), { kind: 'succeeded' });
  });

  test('a zero wait ends at once', async () => {
    const input = parseInput(definition, { waitTime: '0' });
    assert.deepEqual(await runTask(definition, 'wait', { input }), { kind: 'succeeded' });
  });

  test('skipRemainingWait in the stage context ends the wait now', async () => {
    const input = parseInput(definition, { waitTime: 3600 });
    const result = await runTask(definition, 'wait', { input, elapsedMs: 5_000, stage: { context: { skipRemainingWait: true } } });
    assert.deepEqual(result, { kind: 'succeeded' });
  });
});

describe('manualJudgment', () => {
  const definition = manualJudgmentStage();
  const raw = {
    instructions: 'Check the canary dashboard',
    judgmentInputs: [{ value: 'roll forward' }, { value: 'roll back' }],
    notifications: [{ type: 'slack', address: '#deploys', when: ['manualJudgment'] }],
    selectedStageRoles: ['release-managers'],
    propagateAuthenticationContext: true,
  };

  test('parses the Spinnaker fields, keeping notifications and unknown keys', () => {
    const input = parseInput(definition, raw);
    assert.equal(input.instructions, 'Check the canary dashboard');
    assert.deepEqual(input.judgmentInputs, [{ value: 'roll forward' }, { value: 'roll back' }]);
    assert.deepEqual(input['notifications'], raw.notifications);
    assert.deepEqual(input.selectedStageRoles, ['release-managers']);
    assert.equal(input['propagateAuthenticationContext'], true);
    assert.deepEqual(parseInput(definition, { judgmentInputs: null }).judgmentInputs, []);
  });

  test('refuses options that are not {value} maps', () => {
    assert.deepEqual(inputProblems(definition, { judgmentInputs: ['yes'] }), ['judgmentInputs.0: expected an option {"value": "…"}']);
    assert.deepEqual(inputProblems(definition, { judgmentInputs: [{ value: 1 }] }), ['judgmentInputs.0.value: expected a non-empty option text']);
  });

  test('waits with a 15 s poll and a 3-day timeout until someone answers', async () => {
    const input = parseInput(definition, raw);
    assert.deepEqual(plannedTasks(definition, input), ['waitForJudgment']);
    assert.equal(definition.tasks['waitForJudgment']!.timeoutMs, 3 * 24 * 3600 * 1000);
    assert.deepEqual(await runTask(definition, 'waitForJudgment', { input }), { kind: 'running', backoffMs: 15_000 });
    const unrelated = await runTask(definition, 'waitForJudgment', { input, stage: { context: { judgmentStatus: 'maybe' } } });
    assert.deepEqual(unrelated, { kind: 'running', backoffMs: 15_000 });
  });

  test('continue succeeds with the chosen option and who judged', async () => {
    const input = parseInput(definition, raw);
    const context = { judgmentStatus: 'Continue', judgmentInput: 'roll forward', lastModifiedBy: 'bob' };
    const result = await runTask(definition, 'waitForJudgment', { input, stage: { context } });
    assert.deepEqual(result, { kind: 'succeeded', outputs: { judgmentInput: 'roll forward', judgedBy: 'bob' } });
  });

  test('continue without options or user gives nulls', async () => {
    const input = parseInput(definition, {});
    const result = await runTask(definition, 'waitForJudgment', { input, stage: { context: { judgmentStatus: 'continue' } } });
    assert.deepEqual(result, { kind: 'succeeded', outputs: { judgmentInput: null, judgedBy: null } });
  });

  test('stop fails the stage, naming who stopped it and what they chose', async () => {
    const input = parseInput(definition, raw);
    const stage = { name: 'Approve prod', context: { judgmentStatus: 'stop', judgmentInput: 'roll back', lastModifiedBy: 'carol' } };
    const result = await runTask(definition, 'waitForJudgment', { input, stage });
    assertTerminal(result, 'GNK_E_TASK_FAILED', /^manual judgment "Approve prod" was stopped by carol \(chose "roll back"\)$/);
    const anonymous = await runTask(definition, 'waitForJudgment', { input, stage: { name: 'Approve', context: { judgmentStatus: 'STOP' } } });
    assertTerminal(anonymous, 'GNK_E_TASK_FAILED', /^manual judgment "Approve" was stopped by an unknown user$/);
  });
});

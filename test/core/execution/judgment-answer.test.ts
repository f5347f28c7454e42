import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Principal } from '../../../src/core/auth/model.js';
import { GennakerError } from '../../../src/core/errors.js';
import type { Execution, Stage } from '../../../src/core/execution/index.js';
import { checkJudgment } from '../../../src/core/execution/judgment-answer.js';

const alice: Principal = { name: 'alice', kind: 'user', roles: ['dev'], admin: false, via: 'token' };
const admin: Principal = { name: 'root', kind: 'user', roles: [], admin: true, via: 'token' };

function judgment(context: Record<string, unknown> = {}, overrides: Partial<Stage> = {}): Stage {
  return {
    id: 's1',
    executionId: 'e1',
    refId: '1',
    type: 'manualJudgment',
    name: 'Approve',
    requisiteStageRefIds: [],
    status: 'RUNNING',
    config: {},
    context: { judgmentInputs: [], ...context },
    outputs: {},
    onFailure: 'haltPipeline',
    tasks: [],
    runNumber: 0,
    ...overrides,
  };
}

function startedBy(user = 'bob'): Execution {
  return { trigger: { type: 'manual', user, parameters: {} } } as unknown as Execution;
}

function refusedWith(code: string, path: string): (error: unknown) => boolean {
  return (error) => {
    assert.ok(error instanceof GennakerError);
    assert.equal(error.code, code);
    assert.equal(error.details[0]?.path, path);
    return true;
  };
}

describe('answering a manual judgment', () => {
  test('a running, unanswered judgment takes continue or stop', () => {
    const stage = judgment();
    checkJudgment(startedBy(), stage, alice, { judgmentStatus: 'continue' });
    checkJudgment(startedBy(), stage, alice, { judgmentStatus: 'stop' });
  });

  test('only a RUNNING manualJudgment not yet answered takes an answer', () => {
    for (const stage of [judgment({}, { type: 'wait' }), judgment({}, { status: 'NOT_STARTED' }), judgment({}, { status: 'SUCCEEDED' }), judgment({ judgmentStatus: 'continue' })]) {
      assert.throws(() => checkJudgment(startedBy(), stage, alice, { judgmentStatus: 'continue' }), refusedWith('GNK_E_OPERATION_REFUSED', 'params.stageId'));
    }
  });

  test('with options offered, the input must be one of them; without, any input is kept', () => {
    const stage = judgment({ judgmentInputs: [{ value: 'blue' }, { value: 'green' }] });
    checkJudgment(startedBy(), stage, alice, { judgmentStatus: 'continue', input: 'green' });
    checkJudgment(startedBy(), stage, alice, { judgmentStatus: 'continue' });
    assert.throws(() => checkJudgment(startedBy(), stage, alice, { judgmentStatus: 'continue', input: 'red' }), refusedWith('GNK_E_VALIDATION', 'body.input'));
    const open = judgment();
    checkJudgment(startedBy(), open, alice, { judgmentStatus: 'stop', input: 'anything' });
  });

  test('required judgment roles: one of them, or an administrator', () => {
    const stage = judgment({ requiredJudgmentRoles: ['release-managers'] });
    assert.throws(() => checkJudgment(startedBy(), stage, alice, { judgmentStatus: 'continue' }), refusedWith('GNK_E_FORBIDDEN', 'requiredJudgmentRoles'));
    checkJudgment(startedBy(), stage, { ...alice, roles: ['release-managers'] }, { judgmentStatus: 'continue' });
    checkJudgment(startedBy(), stage, admin, { judgmentStatus: 'continue' });
  });

  test('preventSelfApproval: whoever started the execution cannot continue it, but may stop it', () => {
    const stage = judgment({ preventSelfApproval: true });
    assert.throws(() => checkJudgment(startedBy('alice'), stage, alice, { judgmentStatus: 'continue' }), refusedWith('GNK_E_FORBIDDEN', 'preventSelfApproval'));
    checkJudgment(startedBy('alice'), stage, alice, { judgmentStatus: 'stop' });
    checkJudgment(startedBy('bob'), stage, alice, { judgmentStatus: 'continue' });
  });
});

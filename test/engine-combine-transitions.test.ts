import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { applyTransition, createExecution, Draft, type ExecutionState, type Transition } from '../src/core/execution/index.js';
import { combineTransitions } from '../src/engine/combine-transitions.js';

function state(): ExecutionState {
  const stage = (refId: string, requisiteStageRefIds: string[]) => ({
    refId,
    type: 'noop',
    name: refId,
    requisiteStageRefIds,
    onFailure: 'haltPipeline' as const,
    context: {},
  });
  const created = createExecution(
    { id: 'e', type: 'PIPELINE', application: 'app', name: 'p', trigger: { type: 'manual', user: 'ann', parameters: {} }, stages: [stage('a', []), stage('b', []), stage('c', [])] },
    1_000,
  );
  return { ...created, execution: { ...created.execution, version: 4 } };
}

/** Applies `steps` one after another, as handling messages one by one would. */
function sequence(start: ExecutionState, steps: ((draft: Draft) => void)[]): { transitions: Transition[]; after: ExecutionState } {
  const transitions: Transition[] = [];
  let current = start;
  steps.forEach((step, index) => {
    const draft = new Draft(current, 2_000 + index);
    step(draft);
    const transition = draft.transition();
    transitions.push(transition);
    current = applyTransition(current, transition);
  });
  return { transitions, after: current };
}

describe('combining the transitions of messages handled together', () => {
  test('the combined transition leaves the state the sequence leaves, with every message and event in order', () => {
    const before = state();
    const { transitions, after } = sequence(before, [
      (draft) => {
        draft.updateExecution({ status: 'RUNNING' });
        draft.updateStage('a', { status: 'RUNNING' });
        draft.send({ kind: 'runTask', stageId: 'a', taskId: '1' });
      },
      (draft) => {
        draft.updateStage('a', { status: 'SUCCEEDED' });
        draft.updateStage('b', { status: 'RUNNING' });
        draft.deleteStage('c');
        draft.send({ kind: 'completeStage', stageId: 'b' });
      },
    ]);
    const combined = combineTransitions(before, after, transitions);
    assert.equal(combined.executionChanged, true);
    assert.deepEqual(
      combined.changedStages.map((stage) => [stage.id, stage.status]),
      [
        ['a', 'SUCCEEDED'],
        ['b', 'RUNNING'],
      ],
    );
    assert.deepEqual(combined.deletedStageIds, ['c']);
    assert.deepEqual(
      combined.messages.map((message) => message.body.kind),
      ['runTask', 'completeStage'],
    );
    assert.deepEqual(
      combined.events.map((event) => `${event.kind}:${event.status}`),
      ['execution:RUNNING', 'stage:RUNNING', 'stage:SUCCEEDED', 'stage:RUNNING'],
    );
    const applied = applyTransition(before, combined);
    assert.equal(applied.execution.version, 5, 'one commit, one version');
    assert.deepEqual(applied, { ...after, execution: { ...after.execution, version: 5 } });
  });

  test('a stage deleted and then added again is written, not deleted; one added and then deleted is neither', () => {
    const before = state();
    const readded = { ...before.stages[2]!, context: { again: true } };
    const { transitions, after } = sequence(before, [
      (draft) => {
        draft.deleteStage('c');
        draft.addStage({ ...before.stages[0]!, id: 'temporary', refId: 'temporary' });
      },
      (draft) => {
        draft.addStage(readded);
        draft.deleteStage('temporary');
      },
    ]);
    const combined = combineTransitions(before, after, transitions);
    assert.deepEqual(combined.changedStages, [readded]);
    assert.deepEqual(combined.deletedStageIds, []);
    assert.deepEqual(applyTransition(before, combined).stages, after.stages);
  });

  test('one transition is passed through as it is; transitions that change nothing combine to one that changes nothing', () => {
    const before = state();
    const single = sequence(before, [(draft) => draft.send({ kind: 'completeExecution' })]);
    assert.equal(combineTransitions(before, single.after, single.transitions), single.transitions[0]);
    const idle = sequence(before, [(draft) => draft.send({ kind: 'completeExecution' }), () => undefined]);
    const combined = combineTransitions(before, idle.after, idle.transitions);
    assert.equal(combined.executionChanged, false);
    assert.equal(applyTransition(before, combined), before);
  });
});

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { dagIssues } from '../../src/core/pipeline/dag.js';
import { expectErrors, expectValid, loadFixture, pipelineWith, where } from './pipeline-support.js';

const stage = (refId: string, requisites: string[] = []): Record<string, unknown> => ({
  refId,
  requisiteStageRefIds: requisites,
  type: 'wait',
  waitTime: 1,
});

describe('the stage graph', () => {
  test('parallel branches and a join are a valid graph', () => {
    const { pipeline } = expectValid(pipelineWith([stage('a'), stage('b', ['a']), stage('c', ['a']), stage('d', ['b', 'c'])]));
    assert.deepEqual(pipeline.stages.map((s) => s.requisiteStageRefIds), [[], ['a'], ['a'], ['b', 'c']]);
  });

  test('several initial stages start together; that is fine', () => {
    expectValid(pipelineWith([stage('1'), stage('2'), stage('3', ['1', '2'])]));
  });

  test('every graph error in one file: duplicate refId, self-dependency, missing requisite, cycle', () => {
    const { errors } = expectErrors(loadFixture('invalid-graph.json'));
    assert.deepEqual(where(errors), [
      ['1', '$.stages[6].refId', 'a refId no other stage uses'],
      ['5', '$.stages[4].requisiteStageRefIds[0]', 'the refId of another stage'],
      ['6', '$.stages[5].requisiteStageRefIds[1]', 'the refId of another stage (one of "1", "2", "3", "4", "5", "6")'],
      ['2', '$.stages[1].requisiteStageRefIds', 'requisiteStageRefIds that form no cycle'],
    ]);
    assert.equal(errors[0]!.message, 'refId "1" is already used by the stage at $.stages[0]');
    assert.equal(errors[1]!.message, 'stage "5" lists itself as a requisite');
    assert.equal(errors[2]!.message, 'requisite "9" is not the refId of any stage; expected one of "1", "2", "3", "4", "5", "6"');
    assert.equal(errors[3]!.message, 'stages wait for each other in a cycle: 2 → 4 → 3 → 2 (each waits for the next)');
  });

  test('a refId written as a number and as a string is the same refId', () => {
    const { errors } = expectErrors(pipelineWith([stage('1'), { ...stage('x'), refId: 1 }]));
    assert.deepEqual(where(errors), [['1', '$.stages[1].refId', 'a refId no other stage uses']]);
  });

  test('two separate cycles are two errors, each naming its stages', () => {
    const { errors } = expectErrors(pipelineWith([stage('0'), stage('a', ['b']), stage('b', ['a']), stage('c', ['d']), stage('d', ['e']), stage('e', ['c'])]));
    assert.deepEqual(
      errors.map((issue) => issue.message),
      [
        'stages wait for each other in a cycle: a → b → a (each waits for the next)',
        'stages wait for each other in a cycle: c → d → e → c (each waits for the next)',
      ],
    );
  });

  test('a cycle reached from outside names only the stages in the cycle', () => {
    const { errors } = expectErrors(pipelineWith([stage('start'), stage('x', ['start', 'z']), stage('y', ['x']), stage('z', ['y']), stage('tail', ['z'])]));
    assert.deepEqual(errors.map((issue) => [issue.refId, issue.message]), [
      ['x', 'stages wait for each other in a cycle: x → z → y → x (each waits for the next)'],
    ]);
  });

  test('no stage without requisites is an error at $.stages', () => {
    const { errors } = expectErrors(pipelineWith([stage('1', ['2']), stage('2', ['1'])]));
    assert.deepEqual(where(errors), [
      ['1', '$.stages[0].requisiteStageRefIds', 'requisiteStageRefIds that form no cycle'],
      [undefined, '$.stages', 'at least one stage with no requisiteStageRefIds'],
    ]);
  });

  test('the graph checks work on their own input, independent of stage validation', () => {
    assert.deepEqual(dagIssues([]), []);
    assert.deepEqual(
      where(dagIssues([{ index: 0, refId: 'only', requisiteStageRefIds: ['missing'] }])),
      [
        ['only', '$.stages[0].requisiteStageRefIds[0]', 'the refId of another stage (one of "only")'],
        [undefined, '$.stages', 'at least one stage with no requisiteStageRefIds'],
      ],
    );
  });
});

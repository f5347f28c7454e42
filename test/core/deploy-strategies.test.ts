import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { SyntheticStageSpec } from '../../src/core/execution/model.js';
import { planStrategy, rollingPercentages, type DeployTarget, type RollbackPolicy } from '../../src/core/deploy/strategies.js';

const target: DeployTarget = { cloudProvider: 'local', account: 'local', region: 'us-east', cluster: 'hello-prod', capacity: { min: 1, desired: 4, max: 6 } };
const noRollback: RollbackPolicy = { onFailure: false, destroyLatest: false };

/** `type` plus the fields that matter, of each stage, checking they run strictly one after another. */
function steps(stages: readonly SyntheticStageSpec[], ...keys: string[]): string[] {
  stages.forEach((stage, index) => assert.deepEqual(stage.requisiteStageRefIds, index === 0 ? [] : [stages[index - 1]!.localRefId]));
  return stages.map((stage) => [stage.type, ...keys.filter((key) => key in stage.context).map((key) => `${key}=${JSON.stringify(stage.context[key])}`)].join(' '));
}

describe('deploy strategies as synthetic stages', () => {
  test('none: the new group at full size, nothing after', () => {
    const plan = planStrategy({ kind: 'none' }, target, noRollback);
    assert.deepEqual(plan.initialCapacity, target.capacity);
    assert.deepEqual(plan.afterStages, []);
  });

  test('every planned stage targets the deploy\'s cluster, account and region', () => {
    const plan = planStrategy({ kind: 'rollingredblack', targetPercentages: [50], delayBeforeCleanupSec: 0, scaleDown: true }, target, { onFailure: true, destroyLatest: true });
    for (const stage of [...plan.afterStages, ...plan.onFailureStages].filter((s) => s.type !== 'wait')) {
      assert.equal(stage.context['cluster'], 'hello-prod', stage.name);
      assert.equal(stage.context['credentials'], 'local');
      assert.deepEqual(stage.context['regions'], ['us-east']);
    }
  });

  test('highlander: destroy every older group, active ones included', () => {
    const plan = planStrategy({ kind: 'highlander' }, target, noRollback);
    assert.deepEqual(steps(plan.afterStages, 'shrinkToSize', 'allowDeleteActive'), ['shrinkCluster shrinkToSize=1 allowDeleteActive=true']);
  });

  test('red/black with Spinnaker defaults: keep 2 groups, disable all but the new one', () => {
    const plan = planStrategy({ kind: 'redblack', maxRemainingAsgs: 2, delayBeforeDisableSec: 0, scaleDown: false, delayBeforeScaleDownSec: 0 }, target, noRollback);
    assert.deepEqual(plan.initialCapacity, target.capacity);
    assert.deepEqual(steps(plan.afterStages, 'shrinkToSize', 'allowDeleteActive', 'remainingEnabledServerGroups'), [
      'shrinkCluster shrinkToSize=2 allowDeleteActive=false',
      'disableCluster remainingEnabledServerGroups=1',
    ]);
  });

  test('red/black with delays and scale-down', () => {
    const plan = planStrategy({ kind: 'redblack', maxRemainingAsgs: 3, delayBeforeDisableSec: 30, scaleDown: true, delayBeforeScaleDownSec: 60 }, target, noRollback);
    assert.deepEqual(steps(plan.afterStages, 'waitTime', 'remainingFullSizeServerGroups'), [
      'shrinkCluster',
      'wait waitTime=30',
      'disableCluster',
      'wait waitTime=60',
      'scaleDownCluster remainingFullSizeServerGroups=1',
    ]);
  });

  test('rolling red/black: created empty, each percentage grows the group then shifts that share of traffic; 100 appended', () => {
    assert.deepEqual(rollingPercentages([25, 50]), [25, 50, 100]);
    assert.deepEqual(rollingPercentages([50, 100]), [50, 100]);
    const plan = planStrategy(
      { kind: 'rollingredblack', targetPercentages: [25, 50], delayBeforeCleanupSec: 10, scaleDown: false, pipelineBeforeCleanup: { application: 'hello', pipelineId: 'smoke', pipelineParameters: { env: 'prod' } } },
      target,
      noRollback,
    );
    assert.deepEqual(plan.initialCapacity, { min: 0, desired: 0, max: 6 });
    assert.deepEqual(steps(plan.afterStages, 'capacity', 'newServerGroupPercent', 'waitTime', 'pipelineParameters'), [
      'resizeServerGroup capacity={"min":0,"desired":1,"max":6}',
      'setTrafficWeights newServerGroupPercent=25',
      'wait waitTime=10',
      'pipeline pipelineParameters={"env":"prod","percentageComplete":25}',
      'resizeServerGroup capacity={"min":0,"desired":2,"max":6}',
      'setTrafficWeights newServerGroupPercent=50',
      'wait waitTime=10',
      'pipeline pipelineParameters={"env":"prod","percentageComplete":50}',
      'resizeServerGroup capacity={"min":0,"desired":4,"max":6}',
      'setTrafficWeights newServerGroupPercent=100',
      'disableCluster',
      'setTrafficWeights newServerGroupPercent=null',
    ]);
  });

  test('canary steps: setWeight grows and shifts, a timed pause waits, an open pause waits for a person; promoted to 100 at the end', () => {
    const plan = planStrategy({ kind: 'canary', steps: [{ setWeight: 20 }, { pause: { durationSec: 5 } }, { setWeight: 50 }, { pause: {} }] }, target, noRollback);
    assert.deepEqual(plan.initialCapacity.desired, 0);
    assert.deepEqual(steps(plan.afterStages, 'newServerGroupPercent', 'waitTime'), [
      'resizeServerGroup',
      'setTrafficWeights newServerGroupPercent=20',
      'wait waitTime=5',
      'resizeServerGroup',
      'setTrafficWeights newServerGroupPercent=50',
      'manualJudgment',
      'resizeServerGroup',
      'setTrafficWeights newServerGroupPercent=100',
      'disableCluster',
      'setTrafficWeights newServerGroupPercent=null',
    ]);
  });

  test('a canary ending at 100 is not promoted twice', () => {
    const plan = planStrategy({ kind: 'canary', steps: [{ setWeight: 20 }, { setWeight: 100 }] }, target, noRollback);
    assert.equal(plan.afterStages.filter((stage) => stage.type === 'setTrafficWeights' && stage.context['newServerGroupPercent'] === 100).length, 1);
  });

  test('rollback on failure plans a rollbackCluster on-failure stage; none without it', () => {
    const strategy = { kind: 'redblack', maxRemainingAsgs: 2, delayBeforeDisableSec: 0, scaleDown: false, delayBeforeScaleDownSec: 0 } as const;
    assert.deepEqual(planStrategy(strategy, target, noRollback).onFailureStages, []);
    const [rollback, ...rest] = planStrategy(strategy, target, { onFailure: true, destroyLatest: true }).onFailureStages;
    assert.equal(rest.length, 0);
    assert.equal(rollback?.type, 'rollbackCluster');
    assert.equal(rollback?.context['destroyLatest'], true);
  });
});

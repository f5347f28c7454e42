import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { ExecutionState } from '../src/core/execution/index.js';
import { startDeployHarness, upCount, type DeployHarness } from './support/deploy-harness.js';
import { helloLaunch } from './support/localcloud.js';

const at = { cloudProvider: 'local', credentials: 'local', regions: ['us-east'] };

function failureOf(state: ExecutionState): string {
  const failed = state.stages.find((stage) => stage.failure);
  return failed?.failure ? `${failed.failure.code}: ${failed.failure.message}` : '';
}

function assertSucceeded(state: ExecutionState): void {
  assert.equal(state.execution.status, 'SUCCEEDED', failureOf(state));
}

describe('server-group operation stages, run as orchestrations on the local cloud', () => {
  let harness: DeployHarness;
  before(async () => {
    harness = await startDeployHarness();
  });
  after(async () => {
    await harness?.stop();
  });

  test('disable, then enable the current server group by dynamic target; recorded as an ORCHESTRATION', async () => {
    await harness.createGroup({ application: 'toggle', capacity: { min: 1, max: 2, desired: 1 } });
    const newest = await harness.createGroup({ application: 'toggle', capacity: { min: 1, max: 2, desired: 1 } });

    const disabled = await harness.orchestrate('toggle', [{ type: 'disableServerGroup', context: { ...at, cluster: 'toggle', target: 'current_asg_dynamic' } }]);
    assertSucceeded(disabled);
    assert.equal(disabled.execution.type, 'ORCHESTRATION');
    assert.equal(harness.group(newest.name).enabled, false);
    assert.deepEqual(disabled.stages[0]?.outputs['deploy.server.groups'], { 'us-east': [newest.name] });
    const stored = await harness.store.executions.load(disabled.execution.id);
    assert.equal(stored?.execution.type, 'ORCHESTRATION');

    const enabled = await harness.orchestrate('toggle', [{ type: 'enableServerGroup', context: { ...at, serverGroupName: newest.name } }]);
    assertSucceeded(enabled);
    assert.equal(harness.group(newest.name).enabled, true);
    assert.equal(upCount(harness.group(newest.name)), 1);
  });

  test('a traffic guard blocks disabling the last enabled server group of a protected cluster, naming the cluster', async () => {
    await harness.protect('guarded', [{ account: 'local', location: 'us-east', stack: 'prod' }]);
    const only = await harness.createGroup({ application: 'guarded', stack: 'prod', capacity: { min: 1, max: 1, desired: 1 } });

    const refused = await harness.orchestrate('guarded', [{ type: 'disableServerGroup', context: { ...at, cluster: 'guarded-prod', target: 'current_asg_dynamic' } }]);
    assert.equal(refused.execution.status, 'TERMINAL');
    const failure = refused.stages[0]?.failure;
    assert.equal(failure?.code, 'GNK_E_OPERATION_REFUSED');
    assert.match(failure?.message ?? '', /cluster guarded-prod in local\/us-east has traffic guards/);
    assert.equal(harness.group(only.name).enabled, true, 'the guarded group still takes traffic');

    // With a second enabled group the same disable leaves Up instances, so the guard allows it.
    const second = await harness.createGroup({ application: 'guarded', stack: 'prod', capacity: { min: 1, max: 1, desired: 1 } });
    const allowed = await harness.orchestrate('guarded', [{ type: 'disableServerGroup', context: { ...at, cluster: 'guarded-prod', target: 'ancestor_asg_dynamic' } }]);
    assertSucceeded(allowed);
    assert.equal(harness.group(only.name).enabled, false);
    assert.equal(harness.group(second.name).enabled, true);

    // Destroying the one still serving is refused too.
    const destroy = await harness.orchestrate('guarded', [{ type: 'destroyServerGroup', context: { ...at, serverGroupName: second.name } }]);
    assert.equal(destroy.stages[0]?.failure?.code, 'GNK_E_OPERATION_REFUSED');
    assert.ok(harness.inventory.serverGroup('local', 'us-east', second.name));
  });

  test('bad input fails the stage with an error naming the field', async () => {
    const missing = await harness.orchestrate('bad', [{ type: 'disableServerGroup', context: { cloudProvider: 'local', regions: ['us-east'], cluster: 'bad' } }]);
    assert.equal(missing.execution.status, 'TERMINAL');
    assert.equal(missing.stages[0]?.failure?.code, 'GNK_E_STAGE_INPUT_INVALID');
    assert.match(missing.stages[0]?.failure?.message ?? '', /credentials/);
    assert.match(missing.stages[0]?.failure?.message ?? '', /target/);

    const resize = await harness.orchestrate('bad', [{ type: 'resizeServerGroup', context: { ...at, serverGroupName: 'bad-v000', action: 'scale_up', resizeType: 'pct' } }]);
    assert.equal(resize.stages[0]?.failure?.code, 'GNK_E_STAGE_INPUT_INVALID');
    assert.match(resize.stages[0]?.failure?.message ?? '', /scalePct/);

    const weights = await harness.orchestrate('bad', [{ type: 'setTrafficWeights', context: { ...at, cluster: 'bad', newServerGroupPercent: 140 } }]);
    assert.match(weights.stages[0]?.failure?.message ?? '', /newServerGroupPercent/);

    const nothing = await harness.orchestrate('bad', [{ type: 'destroyServerGroup', context: { ...at, cluster: 'bad', target: 'current_asg_dynamic' } }]);
    assert.equal(nothing.stages[0]?.failure?.code, 'GNK_E_OPERATION_REFUSED');
    assert.match(nothing.stages[0]?.failure?.message ?? '', /cluster bad in local\/us-east has no server groups/);
  });

  test('resize exact, then up and down by a percentage, waiting for the instances to be Up', async () => {
    const group = await harness.createGroup({ application: 'sizes', capacity: { min: 1, max: 4, desired: 1 } });
    const exact = await harness.orchestrate('sizes', [
      { type: 'resizeServerGroup', context: { ...at, serverGroupName: group.name, action: 'scale_exact', capacity: { min: 2, max: 4, desired: '2' } } },
    ]);
    assertSucceeded(exact);
    assert.deepEqual(harness.group(group.name).capacity, { min: 2, max: 4, desired: 2 });
    assert.equal(upCount(harness.group(group.name)), 2, 'the stage ends once the new instances are Up');

    const up = await harness.orchestrate('sizes', [
      { type: 'resizeServerGroup', context: { ...at, cluster: 'sizes', target: 'current_asg_dynamic', action: 'scale_up', resizeType: 'pct', scalePct: 50 } },
    ]);
    assertSucceeded(up);
    assert.deepEqual(harness.group(group.name).capacity, { min: 3, max: 6, desired: 3 });
    assert.equal(upCount(harness.group(group.name)), 3);

    const down = await harness.orchestrate('sizes', [
      { type: 'resizeServerGroup', context: { ...at, serverGroupName: group.name, action: 'scale_down', resizeType: 'incr', scaleNum: 2 } },
    ]);
    assertSucceeded(down);
    assert.deepEqual(harness.group(group.name).capacity, { min: 1, max: 4, desired: 1 });
    assert.equal(harness.group(group.name).instances.length, 1);
  });

  test('a resize whose instances never get healthy fails with a reason naming the instances that are not Up', async () => {
    const group = await harness.createGroup({ application: 'sick', capacity: { min: 0, max: 2, desired: 0 }, launch: helloLaunch('1.0.0', { HELLO_UNHEALTHY: 'true' }) });
    const state = await harness.orchestrate('sick', [
      { type: 'resizeServerGroup', context: { ...at, serverGroupName: group.name, capacity: { min: 1, max: 1, desired: 1 }, instancesUpTimeoutSec: 3 } },
    ]);
    assert.equal(state.execution.status, 'TERMINAL');
    assert.equal(state.stages[0]?.failure?.code, 'GNK_E_TASK_TIMEOUT');
    assert.match(state.stages[0]?.failure?.message ?? '', new RegExp(`server group ${group.name}: 0 of 1 instances Up after 3 s; i-\\S+ (Down|Starting)`));
  });
});

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { ExecutionState } from '../src/core/execution/index.js';
import { validatePipeline } from '../src/core/pipeline/validate.js';
import { builtInStageTypes } from '../src/core/pipeline/stage-types/built-in.js';
import type { Stage } from '../src/core/execution/index.js';
import type { TaskContext } from '../src/engine/stage-contract.js';
import { createLogger } from '../src/log/logger.js';
import { cloneServerGroupStage } from '../src/stages/cloud/clone-server-group.js';
import { cloneServerGroupStageSchema } from '../src/core/pipeline/stage-types/clone-server-group.js';
import { countBy, sendRequests } from './support/load.js';
import { startDeployHarness, upCount, type DeployHarness } from './support/deploy-harness.js';
import { helloLaunch } from './support/localcloud.js';

const at = { cloudProvider: 'local', credentials: 'local', regions: ['us-east'] };

function assertSucceeded(state: ExecutionState): void {
  const failed = state.stages.find((stage) => stage.failure);
  assert.equal(state.execution.status, 'SUCCEEDED', failed?.failure ? `${failed.failure.code}: ${failed.failure.message}` : '');
}

describe('cluster stages, clone, findImageFromCluster and setTrafficWeights on the local cloud', () => {
  let harness: DeployHarness;
  before(async () => {
    harness = await startDeployHarness();
  });
  after(async () => {
    await harness?.stop();
  });

  test('disableCluster keeps the newest enabled; scaleDownCluster scales the disabled ones to 0; shrinkCluster destroys all but the newest', async () => {
    const small = { min: 1, max: 2, desired: 1 };
    const v0 = await harness.createGroup({ application: 'tidy', capacity: small });
    const v1 = await harness.createGroup({ application: 'tidy', capacity: small });
    const v2 = await harness.createGroup({ application: 'tidy', capacity: small });

    assertSucceeded(await harness.orchestrate('tidy', [{ type: 'disableCluster', context: { ...at, cluster: 'tidy' } }]));
    assert.deepEqual([v0, v1, v2].map((group) => harness.group(group.name).enabled), [false, false, true]);

    assertSucceeded(await harness.orchestrate('tidy', [{ type: 'scaleDownCluster', context: { ...at, cluster: 'tidy', remainingFullSizeServerGroups: 2 } }]));
    // Two newest kept at size (v2, v1); v0 scaled to 0 and its instances gone.
    assert.equal(harness.group(v0.name).capacity.desired, 0);
    assert.equal(harness.group(v0.name).instances.length, 0);
    assert.equal(harness.group(v1.name).capacity.desired, 1);

    // Active groups are spared unless allowed: shrinkToSize 0 without allowDeleteActive keeps v2.
    assertSucceeded(await harness.orchestrate('tidy', [{ type: 'shrinkCluster', context: { ...at, cluster: 'tidy', shrinkToSize: 0 } }]));
    assert.deepEqual(
      harness.services.cluster('local', 'us-east', 'tidy').map((group) => group.name),
      [v2.name],
    );
  });

  test('shrinkCluster with allowDeleteActive and retainLargerOverNewer disables and destroys the smaller active group', async () => {
    const large = await harness.createGroup({ application: 'keepbig', capacity: { min: 2, max: 2, desired: 2 } });
    const newer = await harness.createGroup({ application: 'keepbig', capacity: { min: 1, max: 1, desired: 1 } });
    const state = await harness.orchestrate('keepbig', [
      { type: 'shrinkCluster', context: { ...at, cluster: 'keepbig', shrinkToSize: 1, allowDeleteActive: true, retainLargerOverNewer: true } },
    ]);
    assertSucceeded(state);
    assert.deepEqual(state.stages[0]?.context['plannedOperations'], [
      { account: 'local', region: 'us-east', serverGroup: newer.name, type: 'disableServerGroup' },
      { account: 'local', region: 'us-east', serverGroup: newer.name, type: 'destroyServerGroup' },
    ]);
    assert.deepEqual(harness.services.cluster('local', 'us-east', 'keepbig').map((group) => group.name), [large.name]);
  });

  test('clone copies the current group with a new version and capacity; findImageFromCluster outputs it for a later stage’s expression', async () => {
    const url = await harness.balancer('copy-lb');
    const source = await harness.createGroup({ application: 'copy', capacity: { min: 1, max: 2, desired: 1 }, launch: helloLaunch('1.0.0'), loadBalancers: ['copy-lb'] });
    const state = await harness.orchestrate('copy', [
      {
        type: 'cloneServerGroup',
        name: 'Clone',
        context: { ...at, cluster: 'copy', target: 'current_asg_dynamic', capacity: { min: 2, max: 2, desired: 2 }, launch: { artifact: { version: '2.0.0' } } },
      },
      { type: 'findImageFromCluster', name: 'Find', context: { ...at, cluster: 'copy', selectionStrategy: 'newest' } },
      // The version found feeds a later stage through an expression.
      { type: 'disableServerGroup', context: { ...at, cluster: 'copy', target: '${#stage("Find").outputs.artifact.version == "2.0.0" ? "ancestor_asg_dynamic" : "current_asg_dynamic"}' } },
    ]);
    assertSucceeded(state);
    const byName = (name: string): Stage | undefined => state.stages.find((stage) => stage.name === name);
    const cloneName = String(byName('Clone')?.outputs['serverGroupName']);
    assert.notEqual(cloneName, source.name);
    const clone = harness.group(cloneName);
    assert.equal(clone.launch.artifact.version, '2.0.0');
    assert.equal(upCount(clone), 2, 'the clone stage ends with the copy Up');
    assert.deepEqual(clone.loadBalancers, ['copy-lb']);
    assert.deepEqual(byName('Find')?.outputs['artifact'], { name: 'hello', version: '2.0.0', location: source.launch.artifact.location });
    assert.equal(harness.group(source.name).enabled, false, 'the expression chose the ancestor');
    const answers = await sendRequests(url, 20, 4);
    assert.deepEqual(countBy(answers, 'version'), { '2.0.0': 20 });
  });

  test('setTrafficWeights splits a balancer’s traffic between the newest group and the older one, then clears', async () => {
    const url = await harness.balancer('split-lb');
    const old = await harness.createGroup({ application: 'split', capacity: { min: 2, max: 2, desired: 2 }, launch: helloLaunch('1.0.0'), loadBalancers: ['split-lb'] });
    const fresh = await harness.createGroup({ application: 'split', capacity: { min: 2, max: 2, desired: 2 }, launch: helloLaunch('2.0.0'), loadBalancers: ['split-lb'] });

    const quarter = await harness.orchestrate('split', [{ type: 'setTrafficWeights', context: { ...at, cluster: 'split', newServerGroupPercent: 25 } }]);
    assertSucceeded(quarter);
    assert.deepEqual(harness.services.loadBalancer('local', 'us-east', 'split-lb')?.weights, { [fresh.name]: 25, [old.name]: 75 });
    const shares = countBy(await sendRequests(url, 400, 8), 'version');
    assert.equal((shares['1.0.0'] ?? 0) + (shares['2.0.0'] ?? 0), 400, JSON.stringify(shares));
    assert.ok(Math.abs((shares['2.0.0'] ?? 0) - 100) <= 30, `about 25% to the new group: ${JSON.stringify(shares)}`);

    const cleared = await harness.orchestrate('split', [{ type: 'setTrafficWeights', context: { ...at, cluster: 'split', newServerGroupPercent: null } }]);
    assertSucceeded(cleared);
    assert.equal(harness.services.loadBalancer('local', 'us-east', 'split-lb')?.weights, undefined);
    const even = countBy(await sendRequests(url, 400, 8), 'version');
    assert.ok(Math.abs((even['2.0.0'] ?? 0) - 200) <= 40, `equal shares per instance again: ${JSON.stringify(even)}`);
  });

  test('the same clone task run twice (a redelivery) clones once', async () => {
    await harness.createGroup({ application: 'once', capacity: { min: 1, max: 1, desired: 1 } });
    const definition = cloneServerGroupStage();
    const input = cloneServerGroupStageSchema.parse({ ...at, cluster: 'once', target: 'current_asg_dynamic' });
    const taskContext = (context: Record<string, unknown>): TaskContext<typeof input> =>
      ({
      execution: { id: 'e', application: 'once' },
      stage: { id: 's', refId: '1', type: 'cloneServerGroup', context },
      task: { id: 't' },
      input,
      now: 0,
      elapsedMs: 0,
      idempotencyKey: 'e/s/0/t',
      signal: new AbortController().signal,
      logger: createLogger('silent'),
      services: { cloud: harness.services },
      }) as unknown as TaskContext<typeof input>;
    const determined = await definition.tasks['determineSource']!.run(taskContext({}));
    assert.equal(determined.kind, 'succeeded');
    const recorded = determined.kind === 'succeeded' ? (determined.context ?? {}) : {};
    const first = await definition.tasks['clone']!.run(taskContext(recorded));
    const again = await definition.tasks['clone']!.run(taskContext(recorded));
    assert.equal(first.kind, 'succeeded');
    assert.deepEqual(again, first);
    assert.equal(harness.services.cluster('local', 'us-east', 'once').length, 2, 'one original, one clone');
  });

  test('the stage schemas accept a Spinnaker export’s fields at save time and name the wrong ones', () => {
    const result = validatePipeline(
      {
        application: 'hello',
        name: 'ops',
        stages: [
          { refId: '1', type: 'disableCluster', name: 'd', cloudProvider: 'local', credentials: 'local', regions: ['us-east'], cluster: 'hello', remainingEnabledServerGroups: 1, preferLargerOverNewer: 'false' },
          { refId: '2', type: 'shrinkCluster', name: 's', requisiteStageRefIds: ['1'], cloudProvider: 'local', credentials: 'local', regions: ['us-east'], cluster: 'hello', shrinkToSize: -1 },
        ],
      },
      { stageTypes: builtInStageTypes },
    );
    assert.equal(result.ok, false);
    const errors = result.ok ? [] : result.errors;
    assert.ok(errors.some((error) => JSON.stringify(error).includes('shrinkToSize')), JSON.stringify(errors));
    assert.ok(!errors.some((error) => JSON.stringify(error).includes('preferLargerOverNewer')), JSON.stringify(errors));
  });
});

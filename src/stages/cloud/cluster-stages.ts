import type { ServerGroup } from '../../core/cloud/index.js';
import { serverGroupsToDestroy, serverGroupsToDisable, serverGroupsToScaleDown } from '../../core/deploy/cluster-selection.js';
import { accountOf, clusterOf, regionsOf, waitAfterDisableSeconds } from '../../core/pipeline/stage-types/cloud-fields.js';
import { disableClusterStageSchema, type DisableClusterInput } from '../../core/pipeline/stage-types/disable-cluster.js';
import { scaleDownClusterStageSchema, type ScaleDownClusterInput } from '../../core/pipeline/stage-types/scale-down-cluster.js';
import { shrinkClusterStageSchema, type ShrinkClusterInput } from '../../core/pipeline/stage-types/shrink-cluster.js';
import type { CloudServices } from '../../engine/cloud-services.js';
import type { StageDefinition } from '../../engine/stage-contract.js';
import { operationStage, type Decision } from './operation-stage.js';
import type { PlannedOperation } from './planned-operations.js';
import { knownAccount } from './targets.js';

type ClusterInput = Parameters<typeof accountOf>[0];

/** Operations on the groups `select` picks in each region's cluster; a cluster with nothing to do plans nothing. */
function decideForCluster(
  cloud: CloudServices,
  input: ClusterInput,
  select: (groups: readonly ServerGroup[]) => readonly ServerGroup[],
  operationsFor: (group: ServerGroup) => readonly Omit<PlannedOperation, 'account' | 'region' | 'serverGroup'>[],
): Decision {
  const account = accountOf(input);
  const unknown = knownAccount(cloud, account);
  if (unknown) return { kind: 'failed', reason: unknown };
  const cluster = clusterOf(input) ?? '';
  const operations = regionsOf(input).flatMap((region) =>
    select(cloud.cluster(account, region, cluster)).flatMap((group) =>
      operationsFor(group).map((operation) => ({ account, region, serverGroup: group.name, ...operation })),
    ),
  );
  return { kind: 'planned', operations };
}

const clusterTimeoutSec = (): number => 300;

export function disableClusterStage(): StageDefinition<DisableClusterInput> {
  return operationStage<DisableClusterInput>({
    type: 'disableCluster',
    input: disableClusterStageSchema,
    decide: (cloud, input) => decideForCluster(cloud, input, (groups) => serverGroupsToDisable(groups, input), () => [{ type: 'disableServerGroup' }]),
    upTimeoutSec: clusterTimeoutSec,
    waitAfterDisableSec: waitAfterDisableSeconds,
  });
}

export function scaleDownClusterStage(): StageDefinition<ScaleDownClusterInput> {
  return operationStage<ScaleDownClusterInput>({
    type: 'scaleDownCluster',
    input: scaleDownClusterStageSchema,
    decide: (cloud, input) =>
      decideForCluster(
        cloud,
        input,
        (groups) => serverGroupsToScaleDown(groups, input),
        // max stays, so a rollback can grow the group back without a new upper bound.
        (group) => [{ type: 'resizeServerGroup', capacity: { min: 0, desired: 0, max: group.capacity.max } }],
      ),
    upTimeoutSec: clusterTimeoutSec,
    waitAfterDisableSec: () => 0,
  });
}

export function shrinkClusterStage(): StageDefinition<ShrinkClusterInput> {
  return operationStage<ShrinkClusterInput>({
    type: 'shrinkCluster',
    input: shrinkClusterStageSchema,
    decide: (cloud, input) =>
      decideForCluster(
        cloud,
        input,
        (groups) => serverGroupsToDestroy(groups, input),
        // A group still taking traffic leaves its balancers before it goes, so no request meets a dying instance.
        (group) => (group.enabled ? [{ type: 'disableServerGroup' }, { type: 'destroyServerGroup' }] : [{ type: 'destroyServerGroup' }]),
      ),
    upTimeoutSec: clusterTimeoutSec,
    waitAfterDisableSec: () => 0,
  });
}

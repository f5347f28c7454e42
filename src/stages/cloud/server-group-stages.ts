import { accountOf, clusterOf, regionsOf, waitAfterDisableSeconds } from '../../core/pipeline/stage-types/cloud-fields.js';
import { destroyServerGroupStageSchema, type DestroyServerGroupInput } from '../../core/pipeline/stage-types/destroy-server-group.js';
import { disableServerGroupStageSchema, type DisableServerGroupInput } from '../../core/pipeline/stage-types/disable-server-group.js';
import { enableServerGroupStageSchema, type EnableServerGroupInput } from '../../core/pipeline/stage-types/enable-server-group.js';
import {
  resizeRequestOf,
  resizeServerGroupStageSchema,
  type ResizeServerGroupInput,
} from '../../core/pipeline/stage-types/resize-server-group.js';
import type { ServerGroup } from '../../core/cloud/index.js';
import { resizedCapacity } from '../../core/deploy/resize.js';
import type { DynamicTarget } from '../../core/deploy/targets.js';
import type { CloudServices } from '../../engine/cloud-services.js';
import type { StageDefinition } from '../../engine/stage-contract.js';
import { operationStage, type Decision } from './operation-stage.js';
import type { PlannedOperation } from './planned-operations.js';
import { findServerGroup, knownAccount } from './targets.js';

type SingleGroupInput = {
  readonly credentials?: string | undefined;
  readonly account?: string | undefined;
  readonly regions?: readonly string[] | undefined;
  readonly region?: string | undefined;
  readonly cluster?: string | undefined;
  readonly moniker?: { readonly cluster?: string | undefined } | undefined;
  readonly target?: DynamicTarget | undefined;
  readonly serverGroupName?: string | undefined;
  readonly asgName?: string | undefined;
};

/** One operation per region on the group the stage names or targets there. */
function decideForEachRegion<Input extends SingleGroupInput>(
  cloud: CloudServices,
  input: Input,
  operationFor: (group: ServerGroup) => Omit<PlannedOperation, 'account' | 'region' | 'serverGroup'>,
): Decision {
  const account = accountOf(input);
  const unknown = knownAccount(cloud, account);
  if (unknown) return { kind: 'failed', reason: unknown };
  const operations: PlannedOperation[] = [];
  for (const region of regionsOf(input)) {
    const found = findServerGroup(cloud, { account, region }, { serverGroupName: input.serverGroupName ?? input.asgName, cluster: clusterOf(input), target: input.target });
    if (found.kind === 'missing') return { kind: 'failed', reason: found.reason };
    operations.push({ account, region, serverGroup: found.serverGroup.name, ...operationFor(found.serverGroup) });
  }
  return { kind: 'planned', operations };
}

const noWaitAfterDisable = (): number => 0;
/** Removing or disabling shows in the inventory when the operation answers; this only bounds a lost event. */
const bookkeepingTimeoutSec = (): number => 60;

export function enableServerGroupStage(): StageDefinition<EnableServerGroupInput> {
  return operationStage<EnableServerGroupInput>({
    type: 'enableServerGroup',
    input: enableServerGroupStageSchema,
    decide: (cloud, input) => decideForEachRegion(cloud, input, () => ({ type: 'enableServerGroup' })),
    upTimeoutSec: (input) => input.instancesUpTimeoutSec,
    waitAfterDisableSec: noWaitAfterDisable,
  });
}

export function disableServerGroupStage(): StageDefinition<DisableServerGroupInput> {
  return operationStage<DisableServerGroupInput>({
    type: 'disableServerGroup',
    input: disableServerGroupStageSchema,
    decide: (cloud, input) => decideForEachRegion(cloud, input, () => ({ type: 'disableServerGroup' })),
    upTimeoutSec: bookkeepingTimeoutSec,
    waitAfterDisableSec: waitAfterDisableSeconds,
  });
}

export function destroyServerGroupStage(): StageDefinition<DestroyServerGroupInput> {
  return operationStage<DestroyServerGroupInput>({
    type: 'destroyServerGroup',
    input: destroyServerGroupStageSchema,
    decide: (cloud, input) => decideForEachRegion(cloud, input, () => ({ type: 'destroyServerGroup' })),
    upTimeoutSec: bookkeepingTimeoutSec,
    waitAfterDisableSec: noWaitAfterDisable,
  });
}

export function resizeServerGroupStage(): StageDefinition<ResizeServerGroupInput> {
  return operationStage<ResizeServerGroupInput>({
    type: 'resizeServerGroup',
    input: resizeServerGroupStageSchema,
    decide: (cloud, input) =>
      decideForEachRegion(cloud, input, (group) => ({ type: 'resizeServerGroup', capacity: resizedCapacity(group.capacity, resizeRequestOf(input)) })),
    upTimeoutSec: (input) => input.instancesUpTimeoutSec,
    waitAfterDisableSec: noWaitAfterDisable,
  });
}

import { z } from 'zod';
import type { LaunchSpec, ServerGroup } from '../../core/cloud/index.js';
import { notSettledReason, settledAt } from '../../core/deploy/instances-up.js';
import { quarantineRefusal } from '../../core/deploy/quarantine.js';
import { clusterOf } from '../../core/pipeline/stage-types/cloud-fields.js';
import {
  cloneServerGroupStageSchema,
  cloneSourceOf,
  type CloneServerGroupInput,
} from '../../core/pipeline/stage-types/clone-server-group.js';
import type { StageDefinition } from '../../engine/stage-contract.js';
import { running } from '../shared/results.js';
import { tasksInOrder } from '../shared/task-plan.js';
import { awaitRegion, rewaitBackoffMs } from './await-region.js';
import { refusedBy } from './results.js';
import { findServerGroup, knownAccount } from './targets.js';

const createdKey = 'clonedServerGroup';
const sourceKey = 'resolvedSource';
const sourceSchema = z.object({ account: z.string(), region: z.string(), serverGroupName: z.string() });
const created = z.object({ account: z.string(), region: z.string(), serverGroup: z.string(), desired: z.number() });

function launchWith(source: LaunchSpec, overrides: CloneServerGroupInput['launch']): LaunchSpec {
  if (!overrides) return source;
  return {
    ...source,
    artifact: { ...source.artifact, ...definedOnly(overrides.artifact ?? {}) },
    command: overrides.command ?? source.command,
    env: { ...source.env, ...(overrides.env ?? {}) },
  };
}

function definedOnly(values: Readonly<Record<string, unknown>>): Record<string, string> {
  return Object.fromEntries(Object.entries(values).filter((entry): entry is [string, string] => typeof entry[1] === 'string'));
}

/**
 * `cloneServerGroup`: copies a group into the next push of its cluster with capacity and launch overrides,
 * then waits for the copy's instances to be Up. The provider picks the name; it is the stage's output.
 */
export function cloneServerGroupStage(): StageDefinition<CloneServerGroupInput> {
  return {
    type: 'cloneServerGroup',
    input: cloneServerGroupStageSchema,
    changesInfrastructure: true,
    plan: () => tasksInOrder('determineSource', { name: 'cloneServerGroup', implementation: 'clone' }, 'awaitUp'),
    tasks: {
      determineSource: {
        run: async ({ input, services }) => {
          const where = cloneSourceOf(input);
          const unknown = knownAccount(services.cloud, where.account);
          if (unknown) return refusedBy('cloneServerGroup', unknown);
          const found = findServerGroup(services.cloud, where, { serverGroupName: where.serverGroupName, cluster: clusterOf(input), target: input.target });
          if (found.kind === 'missing') return refusedBy('cloneServerGroup', found.reason);
          return { kind: 'succeeded', context: { [sourceKey]: { account: where.account, region: where.region, serverGroupName: found.serverGroup.name } } };
        },
      },
      clone: {
        run: async ({ input, stage, services, idempotencyKey }) => {
          const where = sourceSchema.parse(stage.context[sourceKey]);
          const source: ServerGroup | undefined = services.cloud.serverGroup(where.account, where.region, where.serverGroupName);
          if (!source) return refusedBy('cloneServerGroup', `source ${where.serverGroupName} no longer exists in ${where.account}/${where.region}`);
          const launch = launchWith(source.launch, input.launch);
          const quarantined = await services.cloud.quarantined(source.application, launch.artifact.name, launch.artifact.version);
          if (quarantined) {
            return { kind: 'terminal', failure: { code: 'GNK_E_QUARANTINED', message: `cloneServerGroup: ${quarantineRefusal(quarantined)}` } };
          }
          const status = await services.cloud.execute(`${idempotencyKey}/clone`, {
            type: 'cloneServerGroup',
            account: where.account,
            region: where.region,
            source: source.name,
            ...(input.capacity ? { capacity: input.capacity } : {}),
            launch,
            enabled: input.enabled,
          });
          if (status.state === 'failed') {
            return { kind: 'terminal', failure: { code: status.code, message: `cloneServerGroup of ${source.name} in ${where.account}/${where.region}: ${status.message}` } };
          }
          const name = status.serverGroup?.name ?? '';
          const desired = status.serverGroup?.capacity.desired ?? input.capacity?.desired ?? source.capacity.desired;
          return {
            kind: 'succeeded',
            context: { [createdKey]: { account: where.account, region: where.region, serverGroup: name, desired } },
            outputs: { serverGroupName: name, 'deploy.server.groups': { [where.region]: [name] } },
          };
        },
      },
      awaitUp: {
        run: async ({ input, stage, services, elapsedMs, signal }) => {
          const clone = created.parse(stage.context[createdKey]);
          const remainingMs = input.instancesUpTimeoutSec * 1000 - elapsedMs;
          const up = (): boolean => {
            const group = services.cloud.serverGroup(clone.account, clone.region, clone.serverGroup);
            return group !== undefined && settledAt(group, clone.desired);
          };
          if (await awaitRegion(services.cloud, clone, up, remainingMs, signal)) return { kind: 'succeeded' };
          if (remainingMs > 0) return running(rewaitBackoffMs);
          const group = services.cloud.serverGroup(clone.account, clone.region, clone.serverGroup);
          return { kind: 'terminal', failure: { code: 'GNK_E_TASK_TIMEOUT', message: notSettledReason(group, clone.serverGroup, clone.desired, input.instancesUpTimeoutSec) } };
        },
      },
    },
  };
}

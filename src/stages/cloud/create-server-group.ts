import { specAccount, specCluster, specRegions } from '../../core/deploy/deploy-spec.js';
import { newestFirst } from '../../core/deploy/cluster-view.js';
import { upTimeoutReason, upVerdict, type UpVerdict } from '../../core/deploy/new-group-health.js';
import { quarantineRefusal } from '../../core/deploy/quarantine.js';
import { createServerGroupStageSchema, type CreateServerGroupInput } from '../../core/pipeline/stage-types/create-server-group.js';
import type { StageDefinition, TaskContext } from '../../engine/stage-contract.js';
import { running } from '../shared/results.js';
import { createServerGroupPlan, strategyPlanOf } from './deploy-plan.js';
import { failedWith, operationFailed, waitSliceMs } from './results.js';

function where(input: CreateServerGroupInput): { account: string; region: string; cluster: string } {
  return { account: specAccount(input), region: specRegions(input)[0]!, cluster: specCluster(input) };
}

function stringAt(context: Readonly<Record<string, unknown>>, key: string): string | undefined {
  const value = context[key];
  return typeof value === 'string' ? value : undefined;
}

async function checkQuarantine({ input, services }: TaskContext<CreateServerGroupInput>) {
  const entry = await services.cloud.quarantined(input.application, input.artifact.name, input.artifact.version);
  return entry ? failedWith('GNK_E_QUARANTINED', quarantineRefusal(entry)) : ({ kind: 'succeeded' } as const);
}

/** Spinnaker's DetermineSourceServerGroupTask: the cluster's newest group before this deploy, if any. */
async function determineSource({ input, services }: TaskContext<CreateServerGroupInput>) {
  const { account, region, cluster } = where(input);
  const known = services.cloud.accounts().find((candidate) => candidate.name === account);
  if (!known) return failedWith('GNK_E_NOT_FOUND', `account ${account} is not configured (known: ${services.cloud.accounts().map((a) => a.name).join(', ') || 'none'})`);
  if (!known.regions.includes(region)) return failedWith('GNK_E_NOT_FOUND', `account ${account} has no region ${region} (it has ${known.regions.join(', ')})`);
  const source = newestFirst(services.cloud.cluster(account, region, cluster))[0];
  const outputs = source ? { source: { account, region, serverGroupName: source.name, asgName: source.name } } : {};
  return { kind: 'succeeded', context: outputs, outputs } as const;
}

async function create({ input, services, idempotencyKey }: TaskContext<CreateServerGroupInput>) {
  const { account, region, cluster } = where(input);
  const capacity = strategyPlanOf(input).initialCapacity;
  const status = await services.cloud.execute(`${idempotencyKey}/create`, {
    type: 'createServerGroup',
    account,
    region,
    application: input.application,
    ...(input.stack ? { stack: input.stack } : {}),
    ...(input.freeFormDetails ? { detail: input.freeFormDetails } : {}),
    capacity,
    launch: {
      artifact: { name: input.artifact.name, version: input.artifact.version, location: input.artifact.location },
      command: input.command,
      env: input.env,
      healthCheck: input.healthCheck,
    },
    loadBalancers: input.loadBalancers,
    enabled: true,
  });
  if (status.state === 'failed') return operationFailed(`createServerGroup in cluster ${cluster} (${account}/${region})`, status);
  const name = status.serverGroup?.name;
  if (name === undefined) return failedWith('GNK_E_PROVIDER_RESPONSE_INVALID', `createServerGroup in cluster ${cluster} answered without the new server group`);
  const outputs = {
    serverGroup: name,
    deployedServerGroup: name,
    'deploy.account.name': account,
    'deploy.server.groups': { [region]: [name] },
  };
  return { kind: 'succeeded', context: outputs, outputs } as const;
}

/** Waits on the inventory's changes, a slice at a time, until every instance the group wants is Up. */
async function waitForUp({ input, stage, services, elapsedMs, signal }: TaskContext<CreateServerGroupInput>) {
  const { account, region } = where(input);
  const name = stringAt(stage.context, 'serverGroup') ?? '';
  const crashedBefore = Array.isArray(stage.context['crashedInstances']) ? (stage.context['crashedInstances'] as string[]) : [];
  let last: UpVerdict = { kind: 'waiting', crashed: crashedBefore };
  const remainingMs = input.waitForUpTimeoutSec * 1000 - elapsedMs;
  const settled = await services.cloud.waitFor(
    account,
    region,
    (snapshot) => {
      last = upVerdict(
        snapshot.serverGroups.find((group) => group.name === name),
        name,
        last.kind === 'waiting' ? last.crashed : crashedBefore,
      );
      return last.kind === 'waiting' ? undefined : last;
    },
    { timeoutMs: Math.max(0, Math.min(waitSliceMs, remainingMs)), signal },
  );
  if (settled?.kind === 'up') return { kind: 'succeeded' } as const;
  if (settled?.kind === 'failed') return failedWith('GNK_E_SERVER_GROUP_UNHEALTHY', settled.reason);
  const crashed = last.kind === 'waiting' ? last.crashed : crashedBefore;
  if (remainingMs <= waitSliceMs && !signal.aborted) {
    return failedWith('GNK_E_SERVER_GROUP_UNHEALTHY', upTimeoutReason(services.cloud.serverGroup(account, region, name), name, input.waitForUpTimeoutSec));
  }
  return running(0, { crashedInstances: crashed });
}

/**
 * `createServerGroup`: refuses a quarantined version, notes the cluster's current group (`source`), creates
 * the new group (named by the cloud, `app-stack-detail-vNNN`) and waits for its instances to be Up; the
 * strategy's steps follow as synthetic stages, and a rollback if it fails.
 */
export function createServerGroupStage(): StageDefinition<CreateServerGroupInput> {
  return {
    type: 'createServerGroup',
    input: createServerGroupStageSchema,
    changesInfrastructure: true,
    plan: ({ input, stage }) => createServerGroupPlan(input, stage),
    tasks: {
      checkQuarantine: { run: checkQuarantine },
      determineSourceServerGroup: { run: determineSource },
      createServerGroup: { run: create },
      waitForUpInstances: { run: waitForUp },
    },
  };
}

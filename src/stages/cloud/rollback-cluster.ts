import { z } from 'zod';
import { parseMoniker, type ServerGroup } from '../../core/cloud/index.js';
import { upInstanceCount } from '../../core/deploy/cluster-view.js';
import { rollbackChoice } from '../../core/deploy/rollback.js';
import { trafficGuardVerdict } from '../../core/deploy/traffic-guards.js';
import type { TaskResult } from '../../core/execution/index.js';
import { rollbackClusterStageSchema, type RollbackClusterInput } from '../../core/pipeline/stage-types/rollback-cluster.js';
import type { StageDefinition, TaskContext } from '../../engine/stage-contract.js';
import { running } from '../shared/results.js';
import { tasksInOrder } from '../shared/task-plan.js';
import { failedWith, operationFailed, waitSliceMs } from './results.js';

const plannedRollbacks = z.array(z.object({ region: z.string(), latest: z.string(), restore: z.string().optional() }));
type PlannedRollback = z.infer<typeof plannedRollbacks>[number];

/** The choice made by the first task, kept in the context so every later task (and a redelivery) acts on the same groups. */
function rollbacksOf(context: Readonly<Record<string, unknown>>): PlannedRollback[] {
  const parsed = plannedRollbacks.safeParse(context['rollbacks']);
  return parsed.success ? parsed.data : [];
}

async function choose({ input, services }: TaskContext<RollbackClusterInput>): Promise<TaskResult> {
  const rollbacks: PlannedRollback[] = [];
  const notes: string[] = [];
  for (const region of input.regions) {
    const choice = rollbackChoice(
      services.cloud.cluster(input.credentials, region, input.cluster),
      {
        ...(input.rollbackServerGroupName === undefined ? {} : { rollbackServerGroupName: input.rollbackServerGroupName }),
        ...(input.restoreServerGroupName === undefined ? {} : { restoreServerGroupName: input.restoreServerGroupName }),
        ...(input.latestCreatedSince === undefined ? {} : { latestCreatedSince: input.latestCreatedSince }),
      },
      `cluster ${input.cluster} in ${input.credentials}/${region}`,
    );
    if (choice.kind === 'refused') return failedWith('GNK_E_NOT_FOUND', choice.reason);
    if (choice.kind === 'nothing') notes.push(choice.reason);
    else rollbacks.push({ region, latest: choice.latest, ...(choice.restore === undefined ? {} : { restore: choice.restore }) });
  }
  return { kind: 'succeeded', context: { rollbacks, ...(notes.length > 0 ? { nothingToRollBack: notes } : {}) } };
}

/** Gives the restored group its capacity back (when it was scaled down) and enables it, before anything is taken away. */
async function restore({ input, stage, services, idempotencyKey }: TaskContext<RollbackClusterInput>): Promise<TaskResult> {
  for (const { region, latest, restore: name } of rollbacksOf(stage.context)) {
    if (name === undefined) continue;
    const group = services.cloud.serverGroup(input.credentials, region, name);
    if (!group) return failedWith('GNK_E_NOT_FOUND', `server group ${name} to restore is gone from ${input.credentials}/${region}`);
    const where = { account: input.credentials, region, serverGroup: name };
    if (group.capacity.desired === 0) {
      const capacity = services.cloud.serverGroup(input.credentials, region, latest)?.capacity ?? { min: 1, desired: 1, max: 1 };
      const resized = await services.cloud.execute(`${idempotencyKey}/${region}/resize`, { type: 'resizeServerGroup', ...where, capacity });
      if (resized.state === 'failed') return operationFailed(`resizing ${name} back up`, resized);
    }
    if (!group.enabled) {
      const enabled = await services.cloud.execute(`${idempotencyKey}/${region}/enable`, { type: 'enableServerGroup', ...where });
      if (enabled.state === 'failed') return operationFailed(`enabling ${name}`, enabled);
    }
  }
  return { kind: 'succeeded' };
}

function restored(group: ServerGroup | undefined): boolean {
  return group !== undefined && group.enabled && upInstanceCount(group) >= group.capacity.desired;
}

/** The restored group takes traffic before the latest loses it; waits on the inventory a slice at a time. */
async function waitForRestored({ input, stage, services, signal }: TaskContext<RollbackClusterInput>): Promise<TaskResult> {
  for (const { region, restore: name } of rollbacksOf(stage.context)) {
    if (name === undefined) continue;
    const ready = await services.cloud.waitFor(
      input.credentials,
      region,
      (snapshot) => (restored(snapshot.serverGroups.find((group) => group.name === name)) ? true : undefined),
      { timeoutMs: waitSliceMs, signal },
    );
    if (!ready) return running(0);
  }
  return { kind: 'succeeded' };
}

/** Disables (or destroys) the latest group, then returns the balancers to equal shares, so no weight pins traffic anywhere. */
async function retireLatest({ input, stage, services, idempotencyKey }: TaskContext<RollbackClusterInput>): Promise<TaskResult> {
  const guards = await services.cloud.trafficGuards(parseMoniker(input.cluster)?.app ?? input.cluster);
  for (const { region, latest, restore: name } of rollbacksOf(stage.context)) {
    const before = services.cloud.cluster(input.credentials, region, input.cluster);
    const group = before.find((candidate) => candidate.name === latest);
    if (!group) continue;
    const after = before.map((candidate) => (candidate.name === latest ? { ...candidate, enabled: false } : candidate));
    const verdict = trafficGuardVerdict(guards, { account: input.credentials, region, cluster: input.cluster }, before, after, `rollback of ${latest}`);
    if (!verdict.allowed) return failedWith('GNK_E_OPERATION_REFUSED', verdict.reason);
    const where = { account: input.credentials, region, serverGroup: latest };
    if (group.enabled) {
      const disabled = await services.cloud.execute(`${idempotencyKey}/${region}/disable`, { type: 'disableServerGroup', ...where });
      if (disabled.state === 'failed') return operationFailed(`disabling ${latest}`, disabled);
    }
    const balancers = new Set([...group.loadBalancers, ...(name === undefined ? [] : (services.cloud.serverGroup(input.credentials, region, name)?.loadBalancers ?? []))]);
    for (const balancer of balancers) {
      if (services.cloud.loadBalancer(input.credentials, region, balancer)?.weights === undefined) continue;
      const cleared = await services.cloud.execute(`${idempotencyKey}/${region}/weights/${balancer}`, {
        type: 'setTrafficWeights',
        account: input.credentials,
        region,
        loadBalancer: balancer,
        weights: null,
      });
      if (cleared.state === 'failed') return operationFailed(`clearing the weights of ${balancer}`, cleared);
    }
    if (input.destroyLatest) {
      const destroyed = await services.cloud.execute(`${idempotencyKey}/${region}/destroy`, { type: 'destroyServerGroup', ...where });
      if (destroyed.state === 'failed') return operationFailed(`destroying ${latest}`, destroyed);
    }
  }
  return { kind: 'succeeded' };
}

/**
 * `rollbackCluster`: per region, the previous group is restored and Up before the latest is disabled (or
 * destroyed with `destroyLatest`), and the balancers' weights are cleared, so the previous group has all traffic.
 */
export function rollbackClusterStage(): StageDefinition<RollbackClusterInput> {
  return {
    type: 'rollbackCluster',
    input: rollbackClusterStageSchema,
    changesInfrastructure: true,
    plan: () => tasksInOrder('chooseRollback', 'restorePrevious', 'waitForRestored', 'retireLatest'),
    tasks: {
      chooseRollback: { run: choose },
      restorePrevious: { run: restore },
      // Spinnaker's rollback is timeboxed to 30 minutes.
      waitForRestored: { run: waitForRestored, timeoutMs: 30 * 60_000 },
      retireLatest: { run: retireLatest },
    },
  };
}

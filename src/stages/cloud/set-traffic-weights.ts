import { z } from 'zod';
import { newestFirst } from '../../core/deploy/cluster-view.js';
import { clusterTrafficSplit, weightsInEffect } from '../../core/deploy/traffic-split.js';
import { accountOf, clusterOf, regionsOf } from '../../core/pipeline/stage-types/cloud-fields.js';
import { setTrafficWeightsStageSchema, type SetTrafficWeightsInput } from '../../core/pipeline/stage-types/set-traffic-weights.js';
import type { CloudServices } from '../../engine/cloud-services.js';
import type { StageDefinition } from '../../engine/stage-contract.js';
import { running } from '../shared/results.js';
import { tasksInOrder } from '../shared/task-plan.js';
import { awaitRegion, regionSnapshot, rewaitBackoffMs } from './await-region.js';
import { refusedBy } from './results.js';
import { knownAccount } from './targets.js';

const plannedWeightsKey = 'plannedWeights';
const plannedWeights = z.array(
  z.object({ account: z.string(), region: z.string(), loadBalancer: z.string(), weights: z.record(z.string(), z.number()).nullable() }),
);
type PlannedWeights = z.infer<typeof plannedWeights>;

/** Weights are in effect within moments of the operation; this only bounds a lost change event. */
const inEffectTimeoutMs = 60_000;

async function decide(cloud: CloudServices, input: SetTrafficWeightsInput, signal: AbortSignal): Promise<PlannedWeights | string> {
  const account = accountOf(input);
  const unknown = knownAccount(cloud, account);
  if (unknown) return unknown;
  if (!cloud.accounts().find((candidate) => candidate.name === account)?.weightedTraffic) {
    return `account ${account}'s cloud provider cannot split traffic by weight; use a strategy without traffic steps (redblack, highlander)`;
  }
  const cluster = clusterOf(input) ?? '';
  const planned: PlannedWeights = [];
  for (const region of regionsOf(input)) {
    const groups = cloud.cluster(account, region, cluster);
    const newest = newestFirst(groups)[0];
    if (!newest) return `cluster ${cluster} in ${account}/${region} has no server groups`;
    if (newest.loadBalancers.length === 0) return `${newest.name}, the newest server group of cluster ${cluster} in ${account}/${region}, is attached to no load balancer`;
    const everyGroup = (await regionSnapshot(cloud, { account, region }, signal)).serverGroups;
    for (const loadBalancer of newest.loadBalancers) {
      const attached = everyGroup.filter((group) => group.loadBalancers.includes(loadBalancer));
      const split = clusterTrafficSplit(groups, attached, loadBalancer, input.newServerGroupPercent);
      if (split.kind === 'refused') return split.reason;
      planned.push({ account, region, loadBalancer, weights: split.weights === null ? null : { ...split.weights } });
    }
  }
  return planned;
}

/**
 * Gennaker's `setTrafficWeights`: moves a share of each balancer's traffic to the cluster's newest group
 * and waits until the balancer reports those weights (the inventory shows the balancer as the cloud does).
 */
export function setTrafficWeightsStage(): StageDefinition<SetTrafficWeightsInput> {
  return {
    type: 'setTrafficWeights',
    input: setTrafficWeightsStageSchema,
    changesInfrastructure: true,
    plan: () => tasksInOrder('determineWeights', 'setWeights', 'awaitWeights'),
    tasks: {
      determineWeights: {
        run: async ({ input, services, signal }) => {
          const planned = await decide(services.cloud, input, signal);
          if (typeof planned === 'string') return refusedBy('setTrafficWeights', planned);
          return { kind: 'succeeded', context: { [plannedWeightsKey]: planned }, outputs: { trafficWeights: planned } };
        },
      },
      setWeights: {
        run: async ({ stage, services, idempotencyKey }) => {
          for (const entry of plannedWeights.parse(stage.context[plannedWeightsKey])) {
            const status = await services.cloud.execute(`${idempotencyKey}/${entry.account}/${entry.region}/${entry.loadBalancer}`, { type: 'setTrafficWeights', ...entry });
            if (status.state === 'failed') return { kind: 'terminal', failure: { code: status.code, message: `setTrafficWeights on ${entry.loadBalancer} in ${entry.account}/${entry.region}: ${status.message}` } };
          }
          return { kind: 'succeeded' };
        },
      },
      awaitWeights: {
        run: async ({ stage, services, elapsedMs, signal }) => {
          const remainingMs = inEffectTimeoutMs - elapsedMs;
          for (const entry of plannedWeights.parse(stage.context[plannedWeightsKey])) {
            const inEffect = (): boolean => weightsInEffect(services.cloud.loadBalancer(entry.account, entry.region, entry.loadBalancer)?.weights, entry.weights);
            if (await awaitRegion(services.cloud, entry, inEffect, remainingMs, signal)) continue;
            if (remainingMs > 0) return running(rewaitBackoffMs);
            return { kind: 'terminal', failure: { code: 'GNK_E_TASK_TIMEOUT', message: `setTrafficWeights: load balancer ${entry.loadBalancer} in ${entry.account}/${entry.region} did not report weights ${JSON.stringify(entry.weights)} within ${inEffectTimeoutMs / 1000} s` } };
          }
          return { kind: 'succeeded' };
        },
      },
    },
  };
}

import type { ServerGroup } from '../../core/cloud/index.js';
import { clusterAfter } from '../../core/deploy/cluster-after.js';
import { trafficGuardVerdict } from '../../core/deploy/traffic-guards.js';
import type { TaskResult } from '../../core/execution/index.js';
import type { CloudServices } from '../../engine/cloud-services.js';
import { clusterChangeOf, type PlannedOperation } from './planned-operations.js';
import { failedWith } from './results.js';

/**
 * Applies every planned operation to the clusters it touches and asks the application's traffic guards
 * whether the result may stand. A refusal is the stage's failure; nothing has run yet.
 */
export async function trafficGuardRefusal(cloud: CloudServices, planned: readonly PlannedOperation[], operationName: string): Promise<TaskResult | undefined> {
  const clusters = new Map<string, { account: string; region: string; cluster: string; application: string }>();
  for (const operation of planned) {
    const group = cloud.serverGroup(operation.account, operation.region, operation.serverGroup);
    if (!group) continue;
    clusters.set(`${operation.account}/${operation.region}/${group.cluster}`, {
      account: operation.account,
      region: operation.region,
      cluster: group.cluster,
      application: group.application,
    });
  }
  for (const where of clusters.values()) {
    const before = cloud.cluster(where.account, where.region, where.cluster);
    let after: ServerGroup[] = [...before];
    for (const operation of planned.filter((candidate) => candidate.account === where.account && candidate.region === where.region)) {
      const change = clusterChangeOf(operation);
      if (change) after = clusterAfter(after, change);
    }
    const guards = await cloud.trafficGuards(where.application);
    const verdict = trafficGuardVerdict(guards, where, before, after, operationName);
    if (!verdict.allowed) return failedWith('GNK_E_OPERATION_REFUSED', verdict.reason);
  }
  return undefined;
}

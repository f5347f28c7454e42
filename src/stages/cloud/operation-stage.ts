import type { z } from 'zod';
import { notSettledReason, settledAt } from '../../core/deploy/instances-up.js';
import type { TaskResult } from '../../core/execution/index.js';
import type { CloudServices } from '../../engine/cloud-services.js';
import type { StageDefinition, TaskContext } from '../../engine/stage-contract.js';
import { running } from '../shared/results.js';
import { tasksInOrder } from '../shared/task-plan.js';
import { awaitRegion, rewaitBackoffMs } from './await-region.js';
import { trafficGuardRefusal } from './guards.js';
import { refusedBy } from './results.js';
import {
  clientTokenOf,
  cloudOperationOf,
  plannedOperationsKey,
  plannedOperationsSchema,
  type PlannedOperation,
} from './planned-operations.js';

export type Decision = { readonly kind: 'planned'; readonly operations: readonly PlannedOperation[] } | { readonly kind: 'failed'; readonly reason: string };

export interface OperationStageSpec<Input> {
  readonly type: string;
  readonly input: z.ZodType<Input>;
  /** What to do, decided from the inventory as it is now; pure apart from reading the cloud. */
  decide(cloud: CloudServices, input: Input): Decision;
  /** Seconds to wait for enabled/resized groups' instances to be Up. */
  upTimeoutSec(input: Input): number;
  /** Seconds to wait after the last disable (draining). */
  waitAfterDisableSec(input: Input): number;
}

const disabledAtKey = 'disabledAt';

function plannedOf(context: Readonly<Record<string, unknown>>): PlannedOperation[] {
  return plannedOperationsSchema.parse(context[plannedOperationsKey] ?? []);
}

/** Whether the inventory shows a planned operation done (instances Up, group gone, disabled…). */
function done(cloud: CloudServices, operation: PlannedOperation): boolean {
  const group = cloud.serverGroup(operation.account, operation.region, operation.serverGroup);
  switch (operation.type) {
    case 'destroyServerGroup':
      return group === undefined;
    case 'disableServerGroup':
      // Gone counts: shrinkCluster disables a group and then destroys it.
      return group === undefined || !group.enabled;
    case 'enableServerGroup':
      return group !== undefined && group.enabled && settledAt(group, group.capacity.desired);
    case 'resizeServerGroup':
      return group !== undefined && settledAt(group, operation.capacity?.desired ?? 0);
  }
}

async function operate({ stage, idempotencyKey, services, now }: TaskContext<unknown>): Promise<TaskResult> {
  const planned = plannedOf(stage.context);
  for (const operation of planned) {
    const status = await services.cloud.execute(clientTokenOf(idempotencyKey, operation), cloudOperationOf(operation));
    if (status.state === 'failed') {
      return { kind: 'terminal', failure: { code: status.code, message: `${operation.type} of ${operation.serverGroup} in ${operation.account}/${operation.region}: ${status.message}` } };
    }
  }
  const disabled = planned.some((operation) => operation.type === 'disableServerGroup');
  return { kind: 'succeeded', context: disabled ? { [disabledAtKey]: now } : {} };
}

/**
 * A stage that decides a list of server-group operations, checks them against traffic guards, runs them
 * under client tokens and waits — on inventory changes — until they show, then for draining after disables.
 */
export function operationStage<Input>(spec: OperationStageSpec<Input>): StageDefinition<Input> {
  return {
    type: spec.type,
    input: spec.input,
    changesInfrastructure: true,
    plan: () => tasksInOrder('determineTargets', 'operate', 'awaitResult'),
    tasks: {
      determineTargets: {
        run: async ({ input, services, stage }) => {
          const decision = spec.decide(services.cloud, input);
          if (decision.kind === 'failed') return refusedBy(stage.type, decision.reason);
          const refusal = await trafficGuardRefusal(services.cloud, decision.operations, stage.type);
          if (refusal) return refusal;
          return {
            kind: 'succeeded',
            context: { [plannedOperationsKey]: decision.operations },
            outputs: { 'deploy.server.groups': serverGroupsByRegion(decision.operations) },
          };
        },
      },
      operate: { run: (context) => operate(context as TaskContext<unknown>) },
      awaitResult: {
        run: async ({ input, stage, services, elapsedMs, signal, now }) => {
          const planned = plannedOf(stage.context);
          const remainingMs = spec.upTimeoutSec(input) * 1000 - elapsedMs;
          for (const operation of planned) {
            const where = { account: operation.account, region: operation.region };
            if (await awaitRegion(services.cloud, where, () => done(services.cloud, operation), remainingMs, signal)) continue;
            if (remainingMs > 0) return running(rewaitBackoffMs);
            const group = services.cloud.serverGroup(operation.account, operation.region, operation.serverGroup);
            const desired = operation.capacity?.desired ?? group?.capacity.desired ?? 0;
            return {
              kind: 'terminal',
              failure: { code: 'GNK_E_TASK_TIMEOUT', message: notSettledReason(group, operation.serverGroup, desired, spec.upTimeoutSec(input)) },
            };
          }
          const disabledAt = stage.context[disabledAtKey];
          if (typeof disabledAt === 'number') {
            const drainLeftMs = disabledAt + spec.waitAfterDisableSec(input) * 1000 - now;
            if (drainLeftMs > 0) return running(drainLeftMs);
          }
          return { kind: 'succeeded' };
        },
      },
    },
  };
}

/** Spinnaker's output shape: the groups a stage acted on, by region. */
function serverGroupsByRegion(operations: readonly PlannedOperation[]): Record<string, string[]> {
  const byRegion: Record<string, string[]> = {};
  for (const operation of operations) {
    const names = (byRegion[operation.region] ??= []);
    if (!names.includes(operation.serverGroup)) names.push(operation.serverGroup);
  }
  return byRegion;
}

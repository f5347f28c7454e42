import type { Stage, StagePlan } from '../../core/execution/index.js';
import { specAccount, specCluster, specRegions, specRollback, specStrategy } from '../../core/deploy/deploy-spec.js';
import { planStrategy, type StrategyPlan } from '../../core/deploy/strategies.js';
import type { ServerGroupSpec } from '../../core/pipeline/stage-types/server-group-spec.js';

/** The strategy plan of a server group spec in its (one) region; the same inputs always give the same plan. */
export function strategyPlanOf(spec: ServerGroupSpec): StrategyPlan {
  const capacity = { min: spec.capacity.min, max: spec.capacity.max, desired: spec.capacity.desired };
  const target = { cloudProvider: spec.cloudProvider, account: specAccount(spec), region: specRegions(spec)[0] ?? '', cluster: specCluster(spec), capacity };
  return planStrategy(specStrategy(spec), target, specRollback(spec));
}

/**
 * createServerGroup's plan: its tasks, the strategy's steps after it, and the rollback if it fails. The
 * rollback is told when the stage started, so it only removes a group this deploy created.
 */
export function createServerGroupPlan(spec: ServerGroupSpec, stage: Stage): StagePlan {
  const plan = strategyPlanOf(spec);
  return {
    tasks: [
      { name: 'checkQuarantine', implementation: 'checkQuarantine' },
      { name: 'determineSourceServerGroup', implementation: 'determineSourceServerGroup' },
      { name: 'createServerGroup', implementation: 'createServerGroup' },
      { name: 'waitForUpInstances', implementation: 'waitForUpInstances' },
    ],
    beforeStages: [],
    afterStages: plan.afterStages,
    onFailureStages: plan.onFailureStages.map((rollback) =>
      stage.startTime === undefined ? rollback : { ...rollback, context: { ...rollback.context, latestCreatedSince: stage.startTime } },
    ),
  };
}

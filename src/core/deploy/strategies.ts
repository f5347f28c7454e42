import type { Capacity } from '../cloud/model.js';
import type { SyntheticStageSpec } from '../execution/model.js';
import { stepDesired } from './resize.js';

/** One step of a `canary` strategy, in Argo Rollouts' style. */
export type CanaryStep =
  | { readonly setWeight: number }
  /** `durationSec` absent: wait until a person resumes it. */
  | { readonly pause: { readonly durationSec?: number } };

export interface ValidationPipeline {
  readonly application: string;
  readonly pipelineId: string;
  readonly pipelineParameters: Readonly<Record<string, unknown>>;
}

/** A deploy strategy with its knobs, already parsed; defaults are Spinnaker's UI defaults. */
export type DeployStrategy =
  | { readonly kind: 'none' }
  | { readonly kind: 'highlander' }
  | {
      readonly kind: 'redblack';
      readonly maxRemainingAsgs: number;
      readonly delayBeforeDisableSec: number;
      readonly scaleDown: boolean;
      readonly delayBeforeScaleDownSec: number;
    }
  | {
      readonly kind: 'rollingredblack';
      readonly targetPercentages: readonly number[];
      readonly delayBeforeCleanupSec: number;
      readonly pipelineBeforeCleanup?: ValidationPipeline;
      readonly scaleDown: boolean;
    }
  | { readonly kind: 'canary'; readonly steps: readonly CanaryStep[] };

export interface RollbackPolicy {
  readonly onFailure: boolean;
  /** Destroy the new server group too, not only disable it. */
  readonly destroyLatest: boolean;
}

/** Where the new server group goes; every planned stage targets this cluster in this one region. */
export interface DeployTarget {
  readonly cloudProvider: string;
  readonly account: string;
  readonly region: string;
  readonly cluster: string;
  readonly capacity: Capacity;
}

export interface StrategyPlan {
  /** The capacity to create the new server group with (0 for strategies that grow it step by step). */
  readonly initialCapacity: Capacity;
  /** Run after the new group is created and Up, in order. */
  readonly afterStages: readonly SyntheticStageSpec[];
  readonly onFailureStages: readonly SyntheticStageSpec[];
}

function clusterFields(target: DeployTarget): Record<string, unknown> {
  return { cloudProvider: target.cloudProvider, credentials: target.account, regions: [target.region], cluster: target.cluster };
}

/** Stages that run one after another: each waits for the one before it. */
function inSequence(stages: readonly Omit<SyntheticStageSpec, 'localRefId' | 'requisiteStageRefIds'>[]): SyntheticStageSpec[] {
  return stages.map((stage, index) => ({
    ...stage,
    localRefId: String(index + 1),
    requisiteStageRefIds: index === 0 ? [] : [String(index)],
  }));
}

function waitStage(name: string, seconds: number): Omit<SyntheticStageSpec, 'localRefId'> {
  return { type: 'wait', name, context: { waitTime: seconds } };
}

/** Send `percent` of the cluster's traffic to the new group and the rest to the one it replaces. */
function trafficStep(target: DeployTarget, percent: number, stepName: string): Omit<SyntheticStageSpec, 'localRefId'>[] {
  return [
    {
      type: 'resizeServerGroup',
      name: `${stepName}: grow the new server group`,
      context: {
        ...clusterFields(target),
        target: 'current_asg_dynamic',
        action: 'scale_exact',
        capacity: { min: 0, desired: stepDesired(target.capacity.desired, percent), max: target.capacity.max },
      },
    },
    {
      type: 'setTrafficWeights',
      name: `${stepName}: send ${percent}% of traffic to it`,
      context: { ...clusterFields(target), newServerGroupPercent: percent },
    },
  ];
}

function finish(target: DeployTarget, scaleDown: boolean): Omit<SyntheticStageSpec, 'localRefId'>[] {
  return [
    {
      type: 'disableCluster',
      name: 'Disable the previous server groups',
      context: { ...clusterFields(target), remainingEnabledServerGroups: 1, preferLargerOverNewer: false },
    },
    { type: 'setTrafficWeights', name: 'Return to equal shares per instance', context: { ...clusterFields(target), newServerGroupPercent: null } },
    ...(scaleDown
      ? [
          {
            type: 'scaleDownCluster',
            name: 'Scale down the previous server groups',
            context: { ...clusterFields(target), remainingFullSizeServerGroups: 1, preferLargerOverNewer: false, allowScaleDownActive: false },
          },
        ]
      : []),
  ];
}

/** Percentages as Spinnaker runs them: ascending as given, with 100 appended when missing. */
export function rollingPercentages(percentages: readonly number[]): number[] {
  return percentages[percentages.length - 1] === 100 ? [...percentages] : [...percentages, 100];
}

function rollbackStages(target: DeployTarget, rollback: RollbackPolicy): SyntheticStageSpec[] {
  if (!rollback.onFailure) return [];
  return [
    {
      type: 'rollbackCluster',
      name: 'Roll back to the previous server group',
      context: { ...clusterFields(target), rollbackTarget: 'previous', destroyLatest: rollback.destroyLatest },
    },
  ];
}

/**
 * What a strategy runs after the new server group is Up, planned as synthetic stages so the execution
 * graph shows every step (Spinnaker's strategy classes, with red/black's defaults: keep 2 groups, disable
 * the rest at once, no scale-down).
 */
export function planStrategy(strategy: DeployStrategy, target: DeployTarget, rollback: RollbackPolicy): StrategyPlan {
  const onFailureStages = rollbackStages(target, rollback);
  const full = target.capacity;
  const empty: Capacity = { min: 0, desired: 0, max: full.max };
  switch (strategy.kind) {
    case 'none':
      return { initialCapacity: full, afterStages: [], onFailureStages };
    case 'highlander':
      return {
        initialCapacity: full,
        afterStages: inSequence([
          {
            type: 'shrinkCluster',
            name: 'Destroy every older server group',
            context: { ...clusterFields(target), shrinkToSize: 1, allowDeleteActive: true, retainLargerOverNewer: false },
          },
        ]),
        onFailureStages,
      };
    case 'redblack':
      return {
        initialCapacity: full,
        afterStages: inSequence([
          ...(strategy.maxRemainingAsgs > 0
            ? [
                {
                  type: 'shrinkCluster',
                  name: `Keep at most ${strategy.maxRemainingAsgs} server groups`,
                  context: { ...clusterFields(target), shrinkToSize: strategy.maxRemainingAsgs, allowDeleteActive: false, retainLargerOverNewer: false },
                },
              ]
            : []),
          ...(strategy.delayBeforeDisableSec > 0 ? [waitStage('Wait before disabling', strategy.delayBeforeDisableSec)] : []),
          {
            type: 'disableCluster',
            name: 'Disable the previous server groups',
            context: { ...clusterFields(target), remainingEnabledServerGroups: 1, preferLargerOverNewer: false },
          },
          ...(strategy.scaleDown && strategy.delayBeforeScaleDownSec > 0 ? [waitStage('Wait before scaling down', strategy.delayBeforeScaleDownSec)] : []),
          ...(strategy.scaleDown
            ? [
                {
                  type: 'scaleDownCluster',
                  name: 'Scale down the previous server groups',
                  context: { ...clusterFields(target), remainingFullSizeServerGroups: 1, preferLargerOverNewer: false, allowScaleDownActive: false },
                },
              ]
            : []),
        ]),
        onFailureStages,
      };
    case 'rollingredblack': {
      const steps = rollingPercentages(strategy.targetPercentages).flatMap((percent) => [
        ...trafficStep(target, percent, `${percent}%`),
        ...(percent < 100 && strategy.delayBeforeCleanupSec > 0 ? [waitStage(`${percent}%: wait before the next step`, strategy.delayBeforeCleanupSec)] : []),
        ...(percent < 100 && strategy.pipelineBeforeCleanup
          ? [
              {
                type: 'pipeline',
                name: `${percent}%: validation pipeline`,
                context: {
                  application: strategy.pipelineBeforeCleanup.application,
                  pipeline: strategy.pipelineBeforeCleanup.pipelineId,
                  pipelineParameters: { ...strategy.pipelineBeforeCleanup.pipelineParameters, percentageComplete: percent },
                  waitForCompletion: true,
                },
              },
            ]
          : []),
      ]);
      return { initialCapacity: empty, afterStages: inSequence([...steps, ...finish(target, strategy.scaleDown)]), onFailureStages };
    }
    case 'canary': {
      const steps = strategy.steps.flatMap((step, index) => {
        if ('setWeight' in step) return trafficStep(target, step.setWeight, `Step ${index + 1}`);
        const { durationSec } = step.pause;
        if (durationSec !== undefined) return [waitStage(`Step ${index + 1}: pause ${durationSec}s`, durationSec)];
        return [
          {
            type: 'manualJudgment',
            name: `Step ${index + 1}: paused until resumed`,
            context: { instructions: 'The canary is paused. Continue to go on with the next step, stop to roll back.', judgmentInputs: [] },
          },
        ];
      });
      const lastWeight = [...strategy.steps].reverse().find((step): step is { setWeight: number } => 'setWeight' in step)?.setWeight;
      const promote = lastWeight === 100 ? [] : trafficStep(target, 100, 'Promote');
      return { initialCapacity: empty, afterStages: inSequence([...steps, ...promote, ...finish(target, false)]), onFailureStages };
    }
  }
}

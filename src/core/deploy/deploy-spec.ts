import { clusterName } from '../cloud/moniker.js';
import type { ServerGroupSpec } from '../pipeline/stage-types/server-group-spec.js';
import type { CanaryStep, DeployStrategy, RollbackPolicy } from './strategies.js';

/** Spinnaker writes the account as `account` in some stages and `credentials` in others; either will do. */
export function specAccount(spec: Pick<ServerGroupSpec, 'account' | 'credentials'>): string {
  return spec.account ?? spec.credentials ?? '';
}

/** `region` when given, else the keys of `availabilityZones` (one server group per region). */
export function specRegions(spec: Pick<ServerGroupSpec, 'region' | 'availabilityZones'>): string[] {
  return spec.region !== undefined ? [spec.region] : Object.keys(spec.availabilityZones ?? {});
}

export function specCluster(spec: Pick<ServerGroupSpec, 'application' | 'stack' | 'freeFormDetails'>): string {
  return clusterName(spec.application, spec.stack || undefined, spec.freeFormDetails || undefined);
}

function canarySteps(spec: ServerGroupSpec): CanaryStep[] {
  return spec.steps.map((step): CanaryStep => {
    if (step.setWeight !== undefined) return { setWeight: step.setWeight };
    return { pause: step.pause?.duration === undefined ? {} : { durationSec: step.pause.duration } };
  });
}

/**
 * The strategy with its knobs. `delayBeforeCleanup` is red/black's newer name for `delayBeforeDisableSec`
 * (the larger one wins when both are set) and rolling red/black's wait between steps.
 */
export function specStrategy(spec: ServerGroupSpec): DeployStrategy {
  switch (spec.strategy) {
    case '':
    case 'none':
      return { kind: 'none' };
    case 'highlander':
      return { kind: 'highlander' };
    case 'redblack':
      return {
        kind: 'redblack',
        maxRemainingAsgs: spec.maxRemainingAsgs,
        delayBeforeDisableSec: Math.max(spec.delayBeforeDisableSec, spec.delayBeforeCleanup),
        scaleDown: spec.scaleDown,
        delayBeforeScaleDownSec: spec.delayBeforeScaleDownSec,
      };
    case 'rollingredblack':
      return {
        kind: 'rollingredblack',
        targetPercentages: [...spec.targetPercentages].sort((a, b) => a - b),
        delayBeforeCleanupSec: spec.delayBeforeCleanup,
        ...(spec.pipelineBeforeCleanup ? { pipelineBeforeCleanup: spec.pipelineBeforeCleanup } : {}),
        scaleDown: spec.scaleDown,
      };
    case 'canary':
      return { kind: 'canary', steps: canarySteps(spec) };
  }
}

export function specRollback(spec: ServerGroupSpec): RollbackPolicy {
  return { onFailure: spec.rollback.onFailure, destroyLatest: spec.rollback.destroyLatest };
}

import type { Draft } from './draft.js';
import type { Stage, SyntheticOwner, SyntheticStageSpec } from './model.js';

export type { SyntheticStageSpec } from './model.js';

export interface TaskSpec {
  readonly name: string;
  readonly implementation: string;
}

/** What a stage definition plans when its stage starts. */
export interface StagePlan {
  readonly tasks: readonly TaskSpec[];
  readonly beforeStages: readonly SyntheticStageSpec[];
  readonly afterStages: readonly SyntheticStageSpec[];
  /**
   * Run only if the stage fails (TERMINAL or STOPPED, not canceled), after everything else of it has
   * finished (Spinnaker's onFailureStages: rollbacks, clean-up). The stage keeps its failed status.
   */
  readonly onFailureStages?: readonly SyntheticStageSpec[];
}

const ownerMark: Record<SyntheticOwner, string> = { STAGE_BEFORE: '<', STAGE_AFTER: '>', STAGE_ON_FAILURE: '!' };

/**
 * Adds synthetic children. Ids and refIds derive from the parent's (`3<1`, `3>2`, `3!1`), so planning the same
 * stage twice yields the same ids and a replayed message cannot add duplicates.
 */
export function addSyntheticStages(
  draft: Draft,
  parent: Stage,
  owner: SyntheticOwner,
  specs: readonly SyntheticStageSpec[],
  numberFrom = 1,
): Stage[] {
  const mark = ownerMark[owner];
  const localToRef = new Map(specs.map((spec, index) => [spec.localRefId ?? String(index + numberFrom), `${parent.refId}${mark}${index + numberFrom}`]));
  return specs.map((spec, index) => {
    const number = index + numberFrom;
    const stage: Stage = {
      id: `${parent.id}${mark}${number}`,
      executionId: parent.executionId,
      refId: `${parent.refId}${mark}${number}`,
      type: spec.type,
      name: spec.name,
      requisiteStageRefIds: (spec.requisiteStageRefIds ?? []).map((local) => localToRef.get(local) ?? local),
      parentStageId: parent.id,
      syntheticStageOwner: owner,
      status: 'NOT_STARTED',
      config: spec.context,
      context: {},
      outputs: {},
      onFailure: spec.onFailure ?? 'haltPipeline',
      ...(spec.excludedFromParentTimeout ? { excludedFromParentTimeout: true } : {}),
      tasks: [],
      runNumber: parent.runNumber,
    };
    draft.addStage(stage);
    return stage;
  });
}

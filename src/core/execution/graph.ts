import type { Stage } from './model.js';

/**
 * Stages form groups: the top-level stages of the execution, and the before- or after-children of one
 * parent. Within a group `requisiteStageRefIds` name refIds of the same group.
 */
export function groupOf(stages: readonly Stage[], stage: Stage): Stage[] {
  return stages.filter(
    (other) => other.parentStageId === stage.parentStageId && other.syntheticStageOwner === stage.syntheticStageOwner,
  );
}

export function topLevelStages(stages: readonly Stage[]): Stage[] {
  return stages.filter((stage) => stage.parentStageId === undefined);
}

export function childrenOf(stages: readonly Stage[], parentId: string, owner: Stage['syntheticStageOwner']): Stage[] {
  return stages.filter((stage) => stage.parentStageId === parentId && stage.syntheticStageOwner === owner);
}

export function initialStages(group: readonly Stage[]): Stage[] {
  return group.filter((stage) => stage.requisiteStageRefIds.length === 0);
}

export function upstreamOf(group: readonly Stage[], stage: Stage): Stage[] {
  return group.filter((other) => stage.requisiteStageRefIds.includes(other.refId));
}

export function downstreamOf(group: readonly Stage[], stage: Stage): Stage[] {
  return group.filter((other) => other.requisiteStageRefIds.includes(stage.refId));
}

/** The stage and everything that (transitively) depends on it, in its group. */
export function withAllDownstream(group: readonly Stage[], stage: Stage): Stage[] {
  const found = new Map<string, Stage>([[stage.id, stage]]);
  const pending = [stage];
  while (pending.length > 0) {
    for (const next of downstreamOf(group, pending.pop()!)) {
      if (!found.has(next.id)) {
        found.set(next.id, next);
        pending.push(next);
      }
    }
  }
  return [...found.values()];
}

/** Every synthetic stage below `stageId`, at any depth. */
export function syntheticDescendants(stages: readonly Stage[], stageId: string): Stage[] {
  const direct = stages.filter((stage) => stage.parentStageId === stageId);
  return direct.flatMap((child) => [child, ...syntheticDescendants(stages, child.id)]);
}

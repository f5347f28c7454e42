import type { ExecutionState, Stage } from '../core/execution/index.js';
import { executionFunctions, type ExpressionScope } from '../core/expressions/index.js';

/** The top-level stage a (possibly synthetic) stage belongs to. */
function topLevelOf(stages: readonly Stage[], stage: Stage): Stage {
  let current = stage;
  while (current.parentStageId !== undefined) {
    const parent = stages.find((candidate) => candidate.id === current.parentStageId);
    if (!parent) break;
    current = parent;
  }
  return current;
}

/**
 * Outputs of the stages upstream of `stage`, merged oldest first, as Spinnaker merges ancestors'
 * outputs into a stage's context: an Evaluate Variables stage's `releaseVersion` is `${releaseVersion}`
 * downstream. Only ancestors count, so parallel branches cannot see each other's values.
 */
function ancestorOutputs(stages: readonly Stage[], stage: Stage): Record<string, unknown> {
  const topLevel = stages.filter((candidate) => candidate.parentStageId === undefined);
  const byRef = new Map(topLevel.map((candidate) => [candidate.refId, candidate]));
  const ancestors = new Map<string, Stage>();
  const pending = [...topLevelOf(stages, stage).requisiteStageRefIds];
  while (pending.length > 0) {
    const upstream = byRef.get(pending.pop()!);
    if (!upstream || ancestors.has(upstream.id)) continue;
    ancestors.set(upstream.id, upstream);
    pending.push(...upstream.requisiteStageRefIds);
  }
  const ordered = [...ancestors.values()].sort((a, b) => (a.endTime ?? 0) - (b.endTime ?? 0));
  return Object.assign({}, ...ordered.map((ancestor) => ancestor.outputs));
}

/**
 * What `${…}` in a stage can see: the outputs of its upstream stages by name, `trigger`, `parameters`
 * (the trigger's), `execution` (a summary and every stage), and the functions `#stage`, `#judgment`
 * and friends over the current execution.
 */
export function expressionScope(state: ExecutionState, current: Stage, extraVariables: Readonly<Record<string, unknown>> = {}): ExpressionScope {
  const { execution } = state;
  const stages = state.stages.map((stage) => ({
    id: stage.id,
    refId: stage.refId,
    name: stage.name,
    type: stage.type,
    status: stage.status,
    context: stage.context as Record<string, unknown>,
    outputs: stage.outputs as Record<string, unknown>,
  }));
  return {
    variables: {
      ...ancestorOutputs(state.stages, current),
      trigger: execution.trigger,
      parameters: execution.trigger.parameters,
      execution: {
        id: execution.id,
        application: execution.application,
        name: execution.name,
        status: execution.status,
        trigger: execution.trigger,
        startTime: execution.startTime ?? null,
        stages,
      },
      ...extraVariables,
    },
    functions: executionFunctions({ stages, currentStageId: current.id }),
  };
}

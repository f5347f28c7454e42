import type { ExecutionState, Transition } from '../core/execution/index.js';

/**
 * One transition with the effect of `transitions` applied one after another from `before` (each
 * computed on the state the previous one left; `after` is that final state): the rows as they end
 * up, every message and every event in order. Lets the engine commit several messages of one
 * execution that were due together with one write instead of one write each.
 */
export function combineTransitions(before: ExecutionState, after: ExecutionState, transitions: readonly Transition[]): Transition {
  if (transitions.length === 1) return transitions[0]!;
  const finalStages = new Map(after.stages.map((stage) => [stage.id, stage]));
  const stored = new Set(before.stages.map((stage) => stage.id));
  const touched = new Set(transitions.flatMap((transition) => transition.changedStages.map((stage) => stage.id)));
  const deleted = new Set(transitions.flatMap((transition) => transition.deletedStageIds));
  return {
    execution: { ...after.execution, version: before.execution.version },
    executionChanged: transitions.some((transition) => transition.executionChanged),
    changedStages: [...touched].flatMap((id) => {
      const stage = finalStages.get(id);
      return stage ? [stage] : [];
    }),
    deletedStageIds: [...deleted].filter((id) => stored.has(id) && !finalStages.has(id)),
    messages: transitions.flatMap((transition) => transition.messages),
    events: transitions.flatMap((transition) => transition.events),
  };
}

import { withParameters } from './arity.js';
import { ExpressionError } from './failure.js';
import type { ExpressionFunction } from './scope.js';
import { describeValue } from './values.js';

/** What an expression may see of one stage of the running execution. */
export interface ExecutionStageView {
  readonly id: string;
  readonly refId: string;
  readonly name: string;
  readonly type: string;
  readonly status: string;
  readonly context: Readonly<Record<string, unknown>>;
  readonly outputs: Readonly<Record<string, unknown>>;
}

/** A plain, read-only view of the running execution, built by the engine for each evaluation. */
export interface ExecutionView {
  readonly stages: readonly ExecutionStageView[];
  readonly currentStageId?: string;
}

export const executionFunctionNames: readonly string[] = [
  'stage',
  'stageByRefId',
  'stageExists',
  'currentStage',
  'judgment',
  'judgement',
];

const manualJudgment = 'manualJudgment';

function nameArg(value: unknown, what = 'a stage name'): string {
  if (typeof value !== 'string') throw new ExpressionError(`expects ${what}, got ${describeValue(value)}`);
  return value;
}

function listed(values: readonly string[]): string {
  const unique = [...new Set(values)];
  return unique.length === 0 ? 'none' : unique.map((value) => `\`${value}\``).join(', ');
}

/** The stage as expressions see it: a fresh map, so nothing an expression does can reach the view. */
function stageValue(stage: ExecutionStageView): Record<string, unknown> {
  const { id, refId, name, type, status, context, outputs } = stage;
  return { id, refId, name, type, status, context, outputs };
}

/**
 * The Spinnaker functions that read the running execution: `#stage(name)`, `#stageByRefId(refId)`,
 * `#stageExists(name)`, `#currentStage()` and `#judgment(name)` (alias `#judgement`). As in Orca,
 * `#stage` and `#stageExists` match a stage's name or its id, and the first match in `view.stages`
 * order wins.
 */
export function executionFunctions(view: ExecutionView): Record<string, ExpressionFunction> {
  const byNameOrId = (key: string): ExecutionStageView | undefined =>
    view.stages.find((stage) => stage.name === key || stage.id === key);

  const judgment = withParameters(['stageName'], (arg) => {
    const name = nameArg(arg);
    const judged = view.stages.find((stage) => stage.name === name && stage.type === manualJudgment);
    if (!judged) {
      const other = view.stages.find((stage) => stage.name === name);
      if (other) throw new ExpressionError(`needs a ${manualJudgment} stage, but \`${name}\` is a \`${other.type}\` stage`);
      const judgments = view.stages.filter((stage) => stage.type === manualJudgment).map((stage) => stage.name);
      throw new ExpressionError(`found no ${manualJudgment} stage named \`${name}\` (${manualJudgment} stages: ${listed(judgments)})`);
    }
    return Object.hasOwn(judged.context, 'judgmentInput') ? judged.context['judgmentInput'] : null;
  });

  return {
    stage: withParameters(['name'], (arg) => {
      const name = nameArg(arg);
      const stage = byNameOrId(name);
      if (!stage) throw new ExpressionError(`found no stage named \`${name}\` (stages: ${listed(view.stages.map((each) => each.name))})`);
      return stageValue(stage);
    }),
    stageByRefId: withParameters(['refId'], (arg) => {
      const refId = nameArg(arg, 'a refId');
      const stage = view.stages.find((each) => each.refId === refId);
      if (!stage) throw new ExpressionError(`found no stage with refId \`${refId}\` (refIds: ${listed(view.stages.map((each) => each.refId))})`);
      return stageValue(stage);
    }),
    stageExists: withParameters(['name'], (arg) => byNameOrId(nameArg(arg)) !== undefined),
    currentStage: withParameters([], () => {
      const stage = view.stages.find((each) => each.id === view.currentStageId);
      if (!stage) throw new ExpressionError('has no current stage here (the expression is not being evaluated for a stage)');
      return stageValue(stage);
    }),
    judgment,
    judgement: judgment,
  };
}

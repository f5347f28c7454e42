import { unreachable, type Stage, type TaskResult } from '../../core/execution/index.js';
import { unwrapExpression } from '../../core/expressions/template.js';
import type { EngineServices, StageDefinition } from '../../engine/stage-contract.js';
import { evaluateValue } from '../shared/evaluate-value.js';
import { taskFailed } from '../shared/results.js';
import { tasksInOrder } from '../shared/task-plan.js';
import { preconditionCheckSchema, type PreconditionCheck } from '../../core/pipeline/stage-types/check-preconditions.js';

type Check<T extends PreconditionCheck['preconditionType']> = Extract<PreconditionCheck, { preconditionType: T }>['context'];

function shown(value: unknown): string {
  return value === undefined ? 'nothing' : JSON.stringify(value);
}

async function checkExpression(check: Check<'expression'>, stage: Stage, services: EngineServices): Promise<TaskResult> {
  const { expression, failureMessage } = check;
  let value: unknown = expression;
  if (typeof expression === 'string') {
    const outcome = await services.evaluate(unwrapExpression(expression), stage);
    if (!outcome.ok) {
      return { kind: 'terminal', failure: { ...outcome.failure, message: `precondition expression \`${expression}\` could not be evaluated: ${outcome.failure.message}` } };
    }
    value = outcome.value;
  }
  // As everywhere in conditions, the text true/false counts: parameters are always text.
  const truth = typeof value === 'string' ? value.toLowerCase() : value;
  if (truth === true || truth === 'true') return { kind: 'succeeded' };
  const details = [{ expression: String(expression), value: value ?? null }];
  if (failureMessage !== undefined && failureMessage.trim() !== '') {
    // The message may quote values (`${parameters.env}`); if it cannot be evaluated it is shown as written.
    const message = await evaluateValue(failureMessage, '$.context.failureMessage', { stage, services });
    return taskFailed(message.ok ? String(message.value) : failureMessage, undefined, details);
  }
  const source = typeof expression === 'string' ? `precondition expression \`${expression}\`` : `precondition written as the literal ${expression}`;
  const verdict = truth === false || truth === 'false' ? 'false' : `${shown(value)}, not true or false`;
  return taskFailed(`${source} is ${verdict}`, undefined, details);
}

async function checkStageStatus(check: Check<'stageStatus'>, stage: Stage, services: EngineServices): Promise<TaskResult> {
  const { stageStatus } = check;
  const name = await evaluateValue(check.stageName, '$.context.stageName', { stage, services });
  if (!name.ok) {
    return { kind: 'terminal', failure: { ...name.failure, message: `the stageName of a precondition, \`${name.expression}\`, could not be evaluated: ${name.failure.message}` } };
  }
  const stageName = String(name.value);
  // SpEL quoting: a quote inside a quoted name is written twice.
  const outcome = await services.evaluate(`#stage('${stageName.replace(/'/g, "''")}').status`, stage);
  if (!outcome.ok) {
    return { kind: 'terminal', failure: { ...outcome.failure, message: `precondition on the status of stage "${stageName}" could not be checked: ${outcome.failure.message}` } };
  }
  if (outcome.value === stageStatus) return { kind: 'succeeded' };
  return taskFailed(`stage "${stageName}" is ${shown(outcome.value)}, but the precondition expects ${stageStatus}`, undefined, [
    { stageName, expected: stageStatus, actual: outcome.value ?? null },
  ]);
}

/**
 * One precondition, as a synthetic before-stage of `checkPreconditions` (usable on its own too). An
 * expression must come out true; a stage must have the named status; cluster sizes wait for providers.
 * The check evaluates its own `context`, so an expression is evaluated once, written bare or as
 * `${…}`, and a failing one fails this check under its precondition's `failPipeline`.
 */
export function checkPreconditionStage(): StageDefinition<PreconditionCheck> {
  return {
    type: 'checkPrecondition',
    input: preconditionCheckSchema,
    deferredExpressionKeys: ['context'],
    plan: () => tasksInOrder('checkPrecondition'),
    tasks: {
      checkPrecondition: {
        run: async ({ input, stage, services }) => {
          switch (input.preconditionType) {
            case 'expression':
              return checkExpression(input.context, stage, services);
            case 'stageStatus':
              return checkStageStatus(input.context, stage, services);
            case 'clusterSize':
              return taskFailed('clusterSize preconditions are not available until cloud providers exist; remove it or use an expression precondition');
            default:
              return unreachable(input);
          }
        },
      },
    },
  };
}

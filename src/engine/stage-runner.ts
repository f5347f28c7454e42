import type { z } from 'zod';
import type { ExecutionState, Stage, StageFailure, StagePlan, StagePreparation, SyntheticStageSpec, Task, TaskResult } from '../core/execution/index.js';
import { evaluateCondition, evaluateDeep, type ExpressionFailure } from '../core/expressions/index.js';
import type { Logger } from '../log/logger.js';
import { executionWindowStageType } from '../core/time-rules/index.js';
import { expressionScope } from './expression-scope.js';
import { accountsOf, freezeGateStageType } from './freeze-gate.js';
import type { StageRegistry } from './registry.js';
import { RetryableTaskError, type EngineServices, type StageDefinition } from './stage-contract.js';

const defaultTaskBackoffMs = 1_000;
const defaultMaxRetries = 5;
const maxRetryBackoffMs = 60_000;

function expressionFailure(stage: Stage, failures: readonly ExpressionFailure[], where: string): StageFailure {
  const described = failures.map((failure) => `${failure.path} \${${failure.expression}}: ${failure.reason}`).join('; ');
  return {
    code: 'GNK_E_EXPRESSION_FAILED',
    message: `stage ${stage.refId} (${stage.name}): ${where}: ${described}`,
    details: failures.map((failure) => ({ refId: stage.refId, path: failure.path, expression: failure.expression, reason: failure.reason })),
  };
}

function inputFailure(stage: Stage, error: z.ZodError): StageFailure {
  const details = error.issues.map((issue) => ({
    refId: stage.refId,
    path: `$.${issue.path.map(String).join('.')}`.replace(/\.$/, ''),
    expected: issue.message,
  }));
  return {
    code: 'GNK_E_STAGE_INPUT_INVALID',
    message: `stage ${stage.refId} (${stage.name}) of type ${stage.type}: ${details.map((d) => `${d.path}: ${d.expected}`).join('; ')}`,
    details,
  };
}

/**
 * Gates every stage may need before its own work, in order: its execution window (Spinnaker's
 * `restrictExecutionDuringTimeWindow`), then — for stages that change infrastructure — the freeze gate.
 * Each gate waits for the one before; the stage's own before-stages wait for the last gate.
 */
function withGates(
  stage: Stage,
  application: string,
  context: Readonly<Record<string, unknown>>,
  changesInfrastructure: boolean,
  plan: StagePlan,
): StagePlan {
  const gates: SyntheticStageSpec[] = [];
  if (context['restrictExecutionDuringTimeWindow'] === true && stage.type !== executionWindowStageType) {
    gates.push({
      type: executionWindowStageType,
      name: 'Restrict execution during time window',
      localRefId: 'executionWindow',
      excludedFromParentTimeout: true,
      context: {
        restrictedExecutionWindow: context['restrictedExecutionWindow'],
        ...(context['skipWindowText'] === undefined ? {} : { skipWindowText: context['skipWindowText'] }),
      },
    });
  }
  if (changesInfrastructure) {
    gates.push({
      type: freezeGateStageType,
      name: 'Wait for freezes to lift',
      localRefId: 'freezeGate',
      excludedFromParentTimeout: true,
      requisiteStageRefIds: gates.map((gate) => gate.localRefId!),
      context: { application, accounts: accountsOf(context) },
    });
  }
  const last = gates[gates.length - 1]?.localRefId;
  if (last === undefined) return plan;
  // Keep each spec's own local refId (its position, by default) so requisites between them still resolve.
  const own = plan.beforeStages.map((spec, index) => ({
    ...spec,
    localRefId: spec.localRefId ?? String(index + 1),
    requisiteStageRefIds: spec.requisiteStageRefIds?.length ? spec.requisiteStageRefIds : [last],
  }));
  return { ...plan, beforeStages: [...gates, ...own] };
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * Turns the stage contract into the dispatcher's ports: prepares stages (stageEnabled, expressions,
 * input parsing, planning) and runs tasks (timeouts, retries of retryable errors, failures as data).
 */
export class StageRunner {
  constructor(
    private readonly registry: StageRegistry,
    private readonly services: EngineServices,
    private readonly logger: Logger,
    private readonly signal: AbortSignal,
  ) {}

  async prepareStage(state: ExecutionState, stage: Stage): Promise<StagePreparation> {
    const definition = this.registry.find(stage.type);
    if (!definition) {
      return {
        kind: 'fail',
        failure: {
          code: 'GNK_E_UNKNOWN_STAGE_TYPE',
          message: `stage ${stage.refId} has type "${stage.type}", which is not installed; installed types: ${this.registry.types().join(', ')}`,
        },
      };
    }
    const scope = expressionScope(state, stage);
    if (stage.stageEnabled !== undefined) {
      const enabled = evaluateCondition(stage.stageEnabled, scope, { path: '$.stageEnabled.expression' });
      if (!enabled.ok) return { kind: 'fail', failure: expressionFailure(stage, enabled.failures, 'stageEnabled') };
      if (!enabled.value) return { kind: 'skip' };
    }
    const deferred = new Set(definition.deferredExpressionKeys ?? []);
    const toEvaluate = Object.fromEntries(Object.entries(stage.config).filter(([key]) => !deferred.has(key)));
    const evaluated = evaluateDeep(toEvaluate, scope);
    if (!evaluated.ok) return { kind: 'fail', failure: expressionFailure(stage, evaluated.failures, 'configuration') };
    const context = {
      ...(evaluated.value as Record<string, unknown>),
      ...Object.fromEntries(Object.entries(stage.config).filter(([key]) => deferred.has(key))),
    };
    const input = definition.input.safeParse(context);
    if (!input.success) return { kind: 'fail', failure: inputFailure(stage, input.error) };
    try {
      const plan = withGates(
        stage,
        state.execution.application,
        context,
        definition.changesInfrastructure === true,
        definition.plan({ stage: { ...stage, context }, input: input.data }),
      );
      return { kind: 'run', context, plan };
    } catch (error) {
      return { kind: 'fail', failure: { code: 'GNK_E_TASK_FAILED', message: `stage ${stage.refId}: planning failed: ${errorMessage(error)}` } };
    }
  }

  async runTask(state: ExecutionState, stage: Stage, task: Task, elapsedMs: number, now: number): Promise<TaskResult> {
    const definition = this.registry.find(stage.type);
    const taskDefinition = definition?.tasks[task.implementation];
    if (!definition || !taskDefinition) {
      return { kind: 'terminal', failure: { code: 'GNK_E_UNKNOWN_STAGE_TYPE', message: `stage ${stage.refId}: no task ${task.implementation} in stage type ${stage.type}` } };
    }
    if (taskDefinition.timeoutMs !== undefined && elapsedMs > taskDefinition.timeoutMs) {
      return {
        kind: 'terminal',
        failure: { code: 'GNK_E_TASK_TIMEOUT', message: `stage ${stage.refId}: task ${task.name} exceeded its timeout of ${taskDefinition.timeoutMs} ms` },
      };
    }
    const input = definition.input.safeParse(stage.context);
    if (!input.success) return { kind: 'terminal', failure: inputFailure(stage, input.error) };
    const idempotencyKey = `${state.execution.id}/${stage.id}/${stage.runNumber}/${task.id}`;
    try {
      return await taskDefinition.run({
        execution: state.execution,
        stage,
        task,
        input: input.data,
        now,
        elapsedMs,
        idempotencyKey,
        signal: this.signal,
        logger: this.logger.child({ executionId: state.execution.id, stageId: stage.id, taskId: task.id }),
        services: this.services,
      });
    } catch (error) {
      if (error instanceof RetryableTaskError && task.retries < (taskDefinition.maxRetries ?? defaultMaxRetries)) {
        const backoffMs = error.backoffMs ?? Math.min(maxRetryBackoffMs, (taskDefinition.backoffMs ?? defaultTaskBackoffMs) * 2 ** task.retries);
        return { kind: 'retry', backoffMs, failure: { code: 'GNK_E_TASK_FAILED', message: error.message } };
      }
      const retries = error instanceof RetryableTaskError ? ` after ${task.retries} retries` : '';
      return { kind: 'terminal', failure: { code: 'GNK_E_TASK_FAILED', message: `stage ${stage.refId}: task ${task.name} failed${retries}: ${errorMessage(error)}` } };
    }
  }

  async cancelStage(state: ExecutionState, stage: Stage): Promise<void> {
    const definition: StageDefinition<unknown> | undefined = this.registry.find(stage.type);
    if (!definition?.cancel) return;
    const input = definition.input.safeParse(stage.context);
    try {
      await definition.cancel({
        execution: state.execution,
        stage,
        input: input.success ? input.data : undefined,
        logger: this.logger.child({ executionId: state.execution.id, stageId: stage.id }),
        services: this.services,
      });
    } catch (error) {
      this.logger.warn({ err: error, executionId: state.execution.id, stageId: stage.id }, 'stage clean-up on cancel failed');
    }
  }
}

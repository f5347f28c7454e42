import { noCloud } from '../../src/engine/cloud-services.js';
import assert from 'node:assert/strict';
import type { Execution, Stage, Task, TaskResult } from '../../src/core/execution/index.js';
import { evaluateExpression, executionFunctions, type ExecutionStageView } from '../../src/core/expressions/index.js';
import type { CancelContext, ChildPipelineRequest, EngineServices, StageDefinition, TaskContext } from '../../src/engine/stage-contract.js';
import { createLogger } from '../../src/log/logger.js';

export const silentLogger = createLogger('silent');

export function makeExecution(overrides: Partial<Execution> = {}): Execution {
  return {
    id: 'exec-1',
    type: 'PIPELINE',
    application: 'shop',
    name: 'deploy',
    status: 'RUNNING',
    trigger: { type: 'manual', user: 'ann', parameters: { env: 'prod' } },
    buildTime: 1_000,
    startTime: 1_000,
    canceled: false,
    pausedMs: 0,
    limitConcurrent: false,
    keepWaitingPipelines: false,
    maxConcurrentExecutions: 0,
    version: 1,
    ...overrides,
  };
}

export function makeStage(overrides: Partial<Stage> = {}): Stage {
  return {
    id: 'stage-1',
    executionId: 'exec-1',
    refId: '1',
    type: 'noop',
    name: 'The stage',
    requisiteStageRefIds: [],
    status: 'RUNNING',
    config: {},
    context: {},
    outputs: {},
    onFailure: 'haltPipeline',
    startTime: 10_000,
    tasks: [],
    runNumber: 0,
    ...overrides,
  };
}

export interface FakeServiceLog {
  readonly evaluated: { source: string; extraVariables?: Readonly<Record<string, unknown>> }[];
  readonly started: ChildPipelineRequest[];
  readonly canceled: { executionId: string; user: string; reason: string }[];
}

/**
 * Engine services over a fixed set of other stages and child executions. `evaluate` is the real
 * expression language, with the execution functions over `otherStages` and `parameters` as a variable.
 */
export function fakeServices(
  options: {
    dataDir?: string;
    otherStages?: readonly ExecutionStageView[];
    children?: Map<string, { status: Execution['status']; outputs: Record<string, unknown> }>;
    startChildPipeline?: EngineServices['startChildPipeline'];
    cancelExecution?: EngineServices['cancelExecution'];
    claimEffect?: EngineServices['claimEffect'];
  } = {},
): EngineServices & { readonly log: FakeServiceLog } {
  const log: FakeServiceLog = { evaluated: [], started: [], canceled: [] };
  const children = options.children ?? new Map();
  return {
    log,
    cloud: noCloud,
    claimEffect: options.claimEffect ?? (async () => ({ owner: 'this-node', mine: true })),
    dataDir: options.dataDir ?? '/nonexistent/gennaker-test-data',
    evaluate: async (source, stage, extraVariables) => {
      log.evaluated.push(extraVariables === undefined ? { source } : { source, extraVariables });
      const stages = [...(options.otherStages ?? []), { ...stage }];
      const result = evaluateExpression(source, {
        variables: { parameters: { env: 'prod', replicas: 3 }, ...extraVariables },
        functions: executionFunctions({ stages, currentStageId: stage.id }),
      });
      if (result.ok) return { ok: true, value: result.value };
      const failure = result.failures[0]!;
      return { ok: false, failure: { code: 'GNK_E_EXPRESSION_FAILED', message: `\`${failure.expression}\`: ${failure.reason}` } };
    },
    startChildPipeline:
      options.startChildPipeline ??
      (async (request) => {
        log.started.push(request);
        return { executionId: `child-of-${request.idempotencyKey}` };
      }),
    executionStatus: async (executionId) => children.get(executionId),
    cancelExecution:
      options.cancelExecution ??
      (async (executionId, user, reason) => {
        log.canceled.push({ executionId, user, reason });
      }),
  };
}

/** Parses raw stage context with the definition's schema, failing the test with the issues if it does not parse. */
export function parseInput<I>(definition: StageDefinition<I>, raw: unknown): I {
  const result = definition.input.safeParse(raw);
  assert.ok(result.success, `expected ${JSON.stringify(raw)} to parse, got ${JSON.stringify(result.error?.issues)}`);
  return result.data;
}

/** The issues of input that must not parse, as `path: message` lines. */
export function inputProblems(definition: StageDefinition<unknown>, raw: unknown): string[] {
  const result = definition.input.safeParse(raw);
  assert.ok(!result.success, `expected ${JSON.stringify(raw)} not to parse`);
  return result.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
}

export interface TaskRun<I> {
  readonly input: I;
  readonly stage?: Partial<Stage>;
  readonly execution?: Partial<Execution>;
  readonly task?: Partial<Task>;
  readonly now?: number;
  readonly elapsedMs?: number;
  readonly idempotencyKey?: string;
  readonly signal?: AbortSignal;
  readonly services?: EngineServices;
}

export function taskContext<I>(run: TaskRun<I>): TaskContext<I> {
  const now = run.now ?? 20_000;
  return {
    execution: makeExecution(run.execution),
    stage: makeStage(run.stage),
    task: { id: '1', name: 'task', implementation: 'task', status: 'RUNNING', startTime: now, retries: 0, ...run.task },
    input: run.input,
    now,
    elapsedMs: run.elapsedMs ?? 0,
    idempotencyKey: run.idempotencyKey ?? 'exec-1/stage-1/0/1',
    signal: run.signal ?? new AbortController().signal,
    logger: silentLogger,
    services: run.services ?? fakeServices(),
  };
}

/** Runs one task of a definition the way the engine does: by its implementation key. */
export function runTask<I>(definition: StageDefinition<I>, implementation: string, run: TaskRun<I>): Promise<TaskResult> {
  const task = definition.tasks[implementation];
  assert.ok(task, `${definition.type} has no task ${implementation}`);
  return task.run(taskContext(run));
}

export function cancelContext<I>(input: I, options: { stage?: Partial<Stage>; execution?: Partial<Execution>; services?: EngineServices } = {}): CancelContext<I> {
  return {
    execution: makeExecution(options.execution),
    stage: makeStage(options.stage),
    input,
    logger: silentLogger,
    services: options.services ?? fakeServices(),
  };
}

/** The plan's task implementations, in order. */
export function plannedTasks<I>(definition: StageDefinition<I>, input: I, stage: Partial<Stage> = {}): string[] {
  return definition.plan({ stage: makeStage(stage), input }).tasks.map((task) => task.implementation);
}

export function assertTerminal(result: TaskResult, code: string, message: RegExp): void {
  assert.equal(result.kind, 'terminal', `expected terminal, got ${JSON.stringify(result)}`);
  if (result.kind !== 'terminal') return;
  assert.equal(result.failure.code, code);
  assert.match(result.failure.message, message);
}

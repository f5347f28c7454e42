import { createExecution, type StageBlueprint } from '../../../src/core/execution/create.js';
import { handleMessage, type HandlerPorts } from '../../../src/core/execution/dispatch.js';
import { Draft, type Transition } from '../../../src/core/execution/draft.js';
import type { EngineEvent, ExecutionState, MessageBody, Stage, Task } from '../../../src/core/execution/model.js';
import type { StagePlan } from '../../../src/core/execution/plan.js';
import type { StagePreparation } from '../../../src/core/execution/start.js';
import type { TaskResult } from '../../../src/core/execution/tasks.js';

/** How a stage type behaves in a simulation: its plan, and a task script (results by attempt). */
export interface StageScript {
  readonly plan?: (stage: Stage) => StagePlan;
  readonly prepare?: (stage: Stage) => StagePreparation | undefined;
  readonly task?: (stage: Stage, task: Task, attempt: number, elapsedMs: number) => TaskResult;
}

interface Queued {
  readonly deliverAt: number;
  readonly seq: number;
  readonly executionId: string;
  readonly body: MessageBody;
}

export const succeed: TaskResult = { kind: 'succeeded' };
export const fail = (message = 'boom'): TaskResult => ({ kind: 'terminal', failure: { code: 'GNK_E_TASK_FAILED', message } });

/**
 * Runs one execution through the real dispatcher, with a virtual clock and an in-memory queue
 * delivering messages in time order. Messages addressed to other executions are recorded, not run.
 */
export class Simulator {
  state: ExecutionState;
  now = 1_000_000;
  readonly events: EngineEvent[] = [];
  readonly foreignMessages: { executionId: string; body: MessageBody }[] = [];
  readonly canceledStages: string[] = [];
  readonly taskRuns: string[] = [];
  #queue: Queued[] = [];
  #seq = 0;
  readonly #attempts = new Map<string, number>();

  constructor(
    stages: readonly Partial<StageBlueprint>[],
    readonly scripts: Readonly<Record<string, StageScript>> = {},
    options: { mustWait?: boolean; waiting?: { start: string[]; cancel: string[] } } = {},
  ) {
    const blueprints = stages.map((stage, index) => ({
      refId: String(index + 1),
      type: 'noop',
      name: `stage ${stage.refId ?? index + 1}`,
      requisiteStageRefIds: [],
      onFailure: 'haltPipeline' as const,
      context: {},
      ...stage,
    }));
    this.state = createExecution(
      { id: 'e1', type: 'PIPELINE', application: 'app', name: 'sim', pipelineConfigId: 'p1', trigger: { type: 'manual', user: 'ann', parameters: {} }, stages: blueprints },
      this.now,
    );
    this.ports = {
      now: () => this.now,
      prepareStage: async (_state, stage) => {
        const script = this.scripts[stage.type] ?? {};
        const prepared = script.prepare?.(stage);
        if (prepared) return prepared;
        const plan = script.plan?.(stage) ?? { tasks: [{ name: 'main', implementation: 'main' }], beforeStages: [], afterStages: [] };
        return { kind: 'run', context: { ...stage.config }, plan };
      },
      runTask: async (_state, stage, task, elapsedMs) => {
        const key = `${stage.id}/${task.id}`;
        const attempt = (this.#attempts.get(key) ?? 0) + 1;
        this.#attempts.set(key, attempt);
        this.taskRuns.push(key);
        return this.scripts[stage.type]?.task?.(stage, task, attempt, elapsedMs) ?? succeed;
      },
      cancelStage: async (_state, stage) => {
        this.canceledStages.push(stage.id);
      },
      mustWait: async () => options.mustWait ?? false,
      waitingDecision: async (_state, _pipelineConfigId) => options.waiting ?? { start: [], cancel: [] },
    };
  }

  readonly ports: HandlerPorts;

  enqueue(body: MessageBody, delayMs = 0, executionId = this.state.execution.id): void {
    if (executionId !== this.state.execution.id) {
      this.foreignMessages.push({ executionId, body });
      return;
    }
    this.#queue.push({ deliverAt: this.now + delayMs, seq: this.#seq++, executionId, body });
  }

  apply(transition: Transition): void {
    const changed = new Map(transition.changedStages.map((stage) => [stage.id, stage]));
    const kept = this.state.stages.filter((stage) => !transition.deletedStageIds.includes(stage.id)).map((stage) => changed.get(stage.id) ?? stage);
    const added = transition.changedStages.filter((stage) => !this.state.stages.some((existing) => existing.id === stage.id));
    this.state = { execution: transition.execution, stages: [...kept, ...added] };
    this.events.push(...transition.events);
    for (const message of transition.messages) this.enqueue(message.body, message.delayMs, message.executionId);
  }

  /** An operator action or other pure edit, applied as one transition. */
  act(edit: (draft: Draft) => unknown): unknown {
    const draft = new Draft(this.state, this.now);
    const outcome = edit(draft);
    this.apply(draft.transition());
    return outcome;
  }

  pending(): readonly Queued[] {
    return this.#queue;
  }

  dropQueue(): void {
    this.#queue = [];
  }

  /** Delivers messages in time order until the queue is empty, `until` says stop, or the step limit. */
  async run(options: { until?: (sim: Simulator) => boolean; maxSteps?: number; duplicateEvery?: boolean } = {}): Promise<this> {
    const maxSteps = options.maxSteps ?? 10_000;
    for (let step = 0; step < maxSteps && this.#queue.length > 0; step++) {
      if (options.until?.(this)) return this;
      this.#queue.sort((a, b) => a.deliverAt - b.deliverAt || a.seq - b.seq);
      const next = this.#queue.shift()!;
      this.now = Math.max(this.now, next.deliverAt);
      this.apply(await handleMessage(this.state, next.body, this.ports));
      if (options.duplicateEvery) this.apply(await handleMessage(this.state, next.body, this.ports));
    }
    return this;
  }

  async start(options?: Parameters<Simulator['run']>[0]): Promise<this> {
    this.enqueue({ kind: 'startExecution' });
    return this.run(options);
  }

  stage(refId: string): Stage {
    const stage = this.state.stages.find((candidate) => candidate.refId === refId);
    if (!stage) throw new Error(`no stage ${refId}`);
    return stage;
  }

  statusOf(refId: string): string {
    return this.stage(refId).status;
  }

  /** Stage refIds in the order they became RUNNING. */
  startOrder(): string[] {
    return this.events.filter((event) => event.kind === 'stage' && event.status === 'RUNNING').map((event) => (event as { refId: string }).refId);
  }
}

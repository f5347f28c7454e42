import type { EngineEvent, Execution, ExecutionState, MessageBody, OutgoingMessage, Stage, Task } from './model.js';

/** What one handled message changes: the new rows, the messages to enqueue and the events to publish. */
export interface Transition {
  readonly execution: Execution;
  readonly executionChanged: boolean;
  readonly changedStages: readonly Stage[];
  readonly deletedStageIds: readonly string[];
  readonly messages: readonly OutgoingMessage[];
  readonly events: readonly EngineEvent[];
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/**
 * A working copy of one execution for one transition. Decision functions edit it through these
 * methods, which record what changed and turn status changes into events, so no caller can change a
 * status without the event that announces it.
 */
export class Draft {
  #execution: Execution;
  readonly #stages = new Map<string, Stage>();
  readonly #changed = new Set<string>();
  readonly #deleted = new Set<string>();
  readonly #messages: OutgoingMessage[] = [];
  readonly #events: EngineEvent[] = [];
  #executionChanged = false;

  constructor(
    state: ExecutionState,
    readonly now: number,
  ) {
    this.#execution = state.execution;
    for (const stage of state.stages) this.#stages.set(stage.id, stage);
  }

  get execution(): Execution {
    return this.#execution;
  }

  get stages(): Stage[] {
    return [...this.#stages.values()];
  }

  findStage(id: string): Stage | undefined {
    return this.#stages.get(id);
  }

  stage(id: string): Stage {
    const stage = this.#stages.get(id);
    if (!stage) throw new Error(`execution ${this.#execution.id} has no stage ${id}`);
    return stage;
  }

  updateExecution(patch: Partial<Mutable<Execution>>): void {
    const before = this.#execution;
    this.#execution = { ...before, ...patch };
    this.#executionChanged = true;
    if (patch.status !== undefined && patch.status !== before.status) {
      this.#events.push({ kind: 'execution', application: before.application, executionId: before.id, status: patch.status, at: this.now });
    }
  }

  updateStage(id: string, patch: Partial<Mutable<Stage>>): Stage {
    const before = this.stage(id);
    const after = { ...before, ...patch };
    this.#stages.set(id, after);
    this.#changed.add(id);
    if (patch.status !== undefined && patch.status !== before.status) {
      this.#events.push({
        kind: 'stage',
        application: this.#execution.application,
        executionId: before.executionId,
        stageId: id,
        refId: before.refId,
        status: patch.status,
        at: this.now,
      });
    }
    return after;
  }

  updateTask(stageId: string, taskId: string, patch: Partial<Mutable<Task>>): void {
    const stage = this.stage(stageId);
    const tasks = stage.tasks.map((task) => {
      if (task.id !== taskId) return task;
      if (patch.status !== undefined && patch.status !== task.status) {
        this.#events.push({ kind: 'task', application: this.#execution.application, executionId: stage.executionId, stageId, taskId, status: patch.status, at: this.now });
      }
      return { ...task, ...patch };
    });
    this.updateStage(stageId, { tasks });
  }

  addStage(stage: Stage): void {
    this.#stages.set(stage.id, stage);
    this.#deleted.delete(stage.id);
    this.#changed.add(stage.id);
  }

  deleteStage(id: string): void {
    this.#stages.delete(id);
    this.#changed.delete(id);
    this.#deleted.add(id);
  }

  send(body: MessageBody, delayMs = 0, executionId: string = this.#execution.id): void {
    this.#messages.push({ executionId, body, delayMs });
  }

  /** True once this transition has asked for a stage to start: the execution is not finished then. */
  sentStartStage(): boolean {
    return this.#messages.some((message) => message.body.kind === 'startStage' && message.executionId === this.#execution.id);
  }

  transition(): Transition {
    return {
      execution: this.#execution,
      executionChanged: this.#executionChanged || this.#changed.size > 0 || this.#deleted.size > 0,
      changedStages: [...this.#changed].map((id) => this.#stages.get(id)!),
      deletedStageIds: [...this.#deleted],
      messages: this.#messages,
      events: this.#events,
    };
  }
}

/** The state after a committed transition (the store bumps the version when anything changed). */
export function applyTransition(state: ExecutionState, transition: Transition): ExecutionState {
  if (!transition.executionChanged) return state;
  const changed = new Map(transition.changedStages.map((stage) => [stage.id, stage]));
  const deleted = new Set(transition.deletedStageIds);
  const kept = state.stages.filter((stage) => !deleted.has(stage.id)).map((stage) => changed.get(stage.id) ?? stage);
  const known = new Set(state.stages.map((stage) => stage.id));
  const added = transition.changedStages.filter((stage) => !known.has(stage.id));
  return { execution: { ...transition.execution, version: state.execution.version + 1 }, stages: [...kept, ...added] };
}

import { createHash, randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import {
  applyTransition,
  cancelExecution,
  createExecution,
  Draft,
  handleMessage,
  isComplete,
  mustWait,
  waitingDecision,
  type EngineEvent,
  type ExecutionBlueprint,
  orchestrationBlueprint,
  type OrchestrationStep,
  type Execution,
  type ExecutionState,
  patchStageContext,
  type Stage,
  pauseExecution,
  redrive,
  restartStage,
  resumeExecution,
  skipStage,
  type HandlerPorts,
  type OperatorRefusal,
  type Transition,
  type Trigger,
} from '../core/execution/index.js';
import { GennakerError } from '../core/errors.js';
import { evaluateExpression } from '../core/expressions/index.js';
import { parseFreeze, type Freeze } from '../core/time-rules/index.js';
import type { PipelineConfig } from '../core/pipeline/pipeline-config.js';
import { executionBlueprint } from '../core/pipeline/to-execution.js';
import type { Logger } from '../log/logger.js';
import type { TransitionCommit } from '../store/execution-write.js';
import type { QueuedMessage } from '../store/queue.js';
import type { Store } from '../store/store.js';
import { combineTransitions } from './combine-transitions.js';
import { GroupCommitter } from './committer.js';
import { expressionScope } from './expression-scope.js';
import { executionWindowGate } from './execution-window-gate.js';
import { freezeGateStage } from './freeze-gate.js';
import { StageRegistry } from './registry.js';
import { noCloud, type CloudServices } from './cloud-services.js';
import { defineStage, type ChildPipelineRequest, type EngineServices, type EvaluationOutcome, type StageDefinition } from './stage-contract.js';
import { StageRunner } from './stage-runner.js';

export interface EngineOptions {
  readonly store: Store;
  readonly stages: readonly StageDefinition<unknown>[];
  readonly logger: Logger;
  /** Where stages keep files of their own (job directories). */
  readonly dataDir: string;
  /**
   * A name for this node that survives restarts. Leases held by an earlier run of the same node are
   * taken over at start, so a restarted process resumes its work at once instead of after lease expiry.
   * Processes sharing one database need distinct names.
   */
  readonly nodeId: string;
  /** How long a delivered message stays reserved for this process; renewed while work is in flight. */
  readonly leaseMs?: number;
  /** How often to look for messages nobody holds (another process died, or new work to share). */
  readonly sweepMs?: number;
  /** How often to look for RUNNING executions with no queued work. */
  readonly repairMs?: number;
  readonly clock?: () => number;
  /** Time zone of execution windows that name none (default UTC). */
  readonly defaultTimezone?: string;
  /**
   * Called as a message's handler starts, with how long after its delivery time (deliverAt) that is.
   * For benchmarks and metrics; when absent nothing is measured.
   */
  readonly onDispatch?: (delayMs: number) => void;
  /** The cloud for deploy stages; without it they fail saying no cloud is configured. */
  readonly cloud?: CloudServices;
}

export interface EngineEvents {
  event: [EngineEvent];
}

const conflictRetries = 5;

/**
 * The imperative shell around the pure execution core. Messages are handled by one actor per
 * execution (in order), transitions are group-committed with a version check, and the messages a
 * transition creates are leased to this process and dispatched directly — at once or by a timer at
 * their delivery time — so the common path never polls the store. A slow sweep picks up messages
 * whose lease expired (a dead process) and executions submitted by a process that runs no engine.
 */
export class Engine {
  readonly events = new EventEmitter<EngineEvents>();
  readonly #store: Store;
  readonly #logger: Logger;
  readonly #registry: StageRegistry;
  readonly #runner: StageRunner;
  readonly #committer: GroupCommitter;
  readonly #owner: string;
  readonly #nodeId: string;
  readonly #leaseMs: number;
  readonly #sweepMs: number;
  readonly #repairMs: number;
  readonly #clock: () => number;
  readonly #onDispatch: ((delayMs: number) => void) | undefined;
  readonly #abort = new AbortController();
  readonly #cache = new Map<string, ExecutionState>();
  readonly #chains = new Map<string, Promise<void>>();
  /** Messages this process holds the lease of, delivered or waiting for their time. */
  readonly #held = new Map<string, QueuedMessage>();
  /** Due messages waiting for their execution's actor, handled together (see #deliver). */
  readonly #inbox = new Map<string, QueuedMessage[]>();
  readonly #timers = new Map<string, NodeJS.Timeout>();
  readonly #intervals: NodeJS.Timeout[] = [];
  /** Freeze gates that found a freeze and sleep; lifting a freeze wakes them at once. */
  readonly #freezeWaiters = new Map<string, { executionId: string; stageId: string }>();
  #sweeping = false;
  #sweepAgain = false;
  #running = false;

  constructor(options: EngineOptions) {
    this.#store = options.store;
    this.#logger = options.logger.child({ component: 'engine' });
    // The engine provides the gates it plans itself, so no installation can lack them.
    this.#registry = new StageRegistry([
      ...options.stages,
      defineStage(executionWindowGate({ defaultTimezone: options.defaultTimezone ?? 'UTC' })),
      defineStage(freezeGateStage(() => this.#store.freezes.unlifted(), (executionId, stageId) => this.#freezeWaiters.set(`${executionId}/${stageId}`, { executionId, stageId }))),
    ]);
    this.#nodeId = options.nodeId;
    this.#owner = `${options.nodeId}#${randomUUID().slice(0, 8)}`;
    this.#leaseMs = options.leaseMs ?? 15_000;
    this.#sweepMs = options.sweepMs ?? 1_000;
    this.#repairMs = options.repairMs ?? 30_000;
    this.#clock = options.clock ?? Date.now;
    this.#onDispatch = options.onDispatch;
    this.#committer = new GroupCommitter((writes) => options.store.executions.write(writes));
    this.#runner = new StageRunner(this.#registry, this.#services(options.dataDir, options.cloud ?? noCloud), this.#logger, this.#abort.signal);
  }

  get owner(): string {
    return this.#owner;
  }

  async start(): Promise<void> {
    this.#running = true;
    const taken = await this.#store.queue.releaseNode(this.#nodeId);
    if (taken > 0) this.#logger.info({ messages: taken }, 'took over messages of an earlier run of this node');
    await this.#repairZombies();
    await this.#sweep();
    this.#intervals.push(setInterval(() => void this.#sweep(), this.#sweepMs));
    this.#intervals.push(setInterval(() => void this.#heartbeat(), Math.max(100, Math.floor(this.#leaseMs / 3))));
    this.#intervals.push(setInterval(() => void this.#repairZombies(), this.#repairMs));
  }

  /** Stops taking work and waits for in-flight handlers; held leases lapse or are taken over on restart. */
  async stop(): Promise<void> {
    this.#running = false;
    for (const interval of this.#intervals) clearInterval(interval);
    for (const timer of this.#timers.values()) clearTimeout(timer);
    this.#timers.clear();
    this.#abort.abort();
    await Promise.allSettled([...this.#chains.values()]);
  }

  stats(): { batches: number; commits: number; held: number } {
    return { ...this.#committer.stats(), held: this.#held.size };
  }

  // ---------------------------------------------------------------- starting work

  /**
   * Stores a new execution (in the next group commit) and starts it. The process that stores it
   * leases its start message to itself and dispatches it directly, as it does every message its
   * transitions create; if the process dies first, the lease expires and any engine process sharing
   * the store takes the message. An engine not started yet leaves it to whichever process sweeps first.
   */
  async run(blueprint: ExecutionBlueprint): Promise<string> {
    const now = this.#clock();
    const state = createExecution(blueprint, now);
    const start: QueuedMessage = {
      id: randomUUID(),
      executionId: state.execution.id,
      body: { kind: 'startExecution' },
      deliverAt: now,
      leaseOwner: this.#running ? this.#owner : null,
      leaseUntil: this.#running ? now + this.#leaseMs : 0,
    };
    const created = await this.#committer.submit({ kind: 'insert', state, messages: [start] });
    if (!created) throw new GennakerError('GNK_E_ALREADY_EXISTS', `execution ${state.execution.id} already exists`, [{ path: 'id' }]);
    this.#cache.set(state.execution.id, state);
    this.#schedule(start);
    return state.execution.id;
  }

  /** Runs a validated pipeline (saved or ad hoc). */
  async runPipeline(pipeline: PipelineConfig, trigger: Trigger, options: { id?: string; pipelineConfigId?: string } = {}): Promise<string> {
    return this.run(executionBlueprint(pipeline, { id: options.id ?? randomUUID(), trigger, pipelineConfigId: options.pipelineConfigId ?? pipeline.id }));
  }

  /** Runs ad-hoc stages as an orchestration (what UI buttons and CLI commands start), one after another. */
  async runOrchestration(
    application: string,
    description: string,
    steps: readonly OrchestrationStep[],
    user: string,
    id: string = randomUUID(),
  ): Promise<string> {
    return this.run(orchestrationBlueprint({ id, application, description, user }, steps));
  }

  /** Runs the saved pipeline with this id. */
  async startPipeline(pipelineConfigId: string, trigger: Trigger, id?: string): Promise<string> {
    const saved = await this.#store.pipelineConfigs.get(pipelineConfigId);
    if (!saved) throw new GennakerError('GNK_E_NOT_FOUND', `pipeline ${pipelineConfigId} does not exist`, [{ path: 'pipeline' }]);
    return this.runPipeline({ ...(saved.body as unknown as PipelineConfig), id: saved.id }, trigger, { id, pipelineConfigId: saved.id });
  }

  async get(executionId: string): Promise<ExecutionState | undefined> {
    return this.#store.executions.load(executionId);
  }

  /** Resolves with the execution once it is complete (event-driven; no polling). */
  whenComplete(executionId: string): Promise<ExecutionState> {
    return new Promise((resolve, reject) => {
      const check = (): void => {
        void this.#store.executions.load(executionId).then((state) => {
          if (!state) {
            this.events.off('event', listener);
            reject(new GennakerError('GNK_E_NOT_FOUND', `execution ${executionId} does not exist`));
          } else if (isComplete(state.execution.status)) {
            this.events.off('event', listener);
            resolve(state);
          }
        }, reject);
      };
      const listener = (event: EngineEvent): void => {
        if (event.kind === 'execution' && event.executionId === executionId && isComplete(event.status)) check();
      };
      this.events.on('event', listener);
      check();
    });
  }

  // ---------------------------------------------------------------- operator actions

  cancel(executionId: string, user: string, reason = 'canceled by user'): Promise<void> {
    return this.#operate(executionId, (draft) => cancelExecution(draft, user, reason));
  }

  pause(executionId: string): Promise<void> {
    return this.#operate(executionId, (draft) => pauseExecution(draft));
  }

  resume(executionId: string): Promise<void> {
    return this.#operate(executionId, (draft) => resumeExecution(draft));
  }

  restartStage(executionId: string, stageId: string, user: string): Promise<void> {
    return this.#operate(executionId, (draft) => restartStage(draft, stageId, user));
  }

  skipStage(executionId: string, stageId: string, user: string): Promise<void> {
    return this.#operate(executionId, (draft) => skipStage(draft, stageId, user));
  }

  /**
   * Merges operator input into a running stage's context (a judgment, skipRemainingWait) and wakes it.
   * `accept` sees the stage as it is on the execution's actor and throws to refuse, so of two answers
   * racing for one judgment only the first is taken.
   */
  patchStage(
    executionId: string,
    stageId: string,
    patch: Readonly<Record<string, unknown>>,
    accept?: (stage: Stage, execution: Execution) => void,
  ): Promise<void> {
    return this.#operate(executionId, (draft) => {
      const stage = draft.findStage(stageId);
      if (stage && accept) accept(stage, draft.execution);
      return patchStageContext(draft, stageId, patch);
    });
  }

  #operate(executionId: string, action: (draft: Draft) => OperatorRefusal): Promise<void> {
    return this.#onActor(executionId, async () => {
      for (let attempt = 0; attempt < conflictRetries; attempt++) {
        const state = await this.#load(executionId);
        if (!state) throw new GennakerError('GNK_E_NOT_FOUND', `execution ${executionId} does not exist`);
        const draft = new Draft(state, this.#clock());
        const refusal = action(draft);
        if (refusal) throw new GennakerError('GNK_E_OPERATION_REFUSED', `execution ${executionId}: ${refusal.refused}`);
        if (await this.#commit(state, draft.transition())) return;
      }
      throw new GennakerError('GNK_E_CONFLICT', `execution ${executionId} kept changing; try again`);
    });
  }

  // ---------------------------------------------------------------- freezes

  /** Freezes an application, an account or everything; stages that change infrastructure then wait or fail. */
  async freeze(input: unknown): Promise<Freeze> {
    const freeze = parseFreeze(input);
    await this.#store.freezes.create(freeze);
    return freeze;
  }

  /** Lifts a freeze and wakes the stages that waited for it (they re-check: another freeze may still hold them). */
  async liftFreeze(id: string, user: string): Promise<void> {
    await this.#store.freezes.lift(id, user, this.#clock());
    const waiters = [...this.#freezeWaiters.values()];
    this.#freezeWaiters.clear();
    await Promise.all(
      waiters.map(({ executionId, stageId }) =>
        this.#operate(executionId, (draft) => {
          draft.send({ kind: 'wakeStage', stageId });
          return undefined;
        }).catch((error: unknown) => this.#logger.warn({ err: error, executionId }, 'could not wake a freeze gate')),
      ),
    );
  }

  // ---------------------------------------------------------------- message handling

  #onActor<T>(executionId: string, work: () => Promise<T>): Promise<T> {
    const previous = this.#chains.get(executionId) ?? Promise.resolve();
    const result = previous.then(work);
    const settled = result.then(
      () => undefined,
      () => undefined,
    );
    this.#chains.set(executionId, settled);
    void settled.then(() => {
      if (this.#chains.get(executionId) === settled) this.#chains.delete(executionId);
    });
    return result;
  }

  #schedule(message: QueuedMessage): void {
    if (message.leaseOwner !== this.#owner || !this.#running) return;
    this.#held.set(message.id, message);
    const delay = message.deliverAt - this.#clock();
    if (delay <= 0) {
      this.#enqueue(message);
      return;
    }
    const timer = setTimeout(() => {
      this.#timers.delete(message.id);
      this.#enqueue(message);
    }, delay);
    this.#timers.set(message.id, timer);
  }

  /** Puts a due message in its execution's inbox; the first one in an empty inbox books the actor. */
  #enqueue(message: QueuedMessage): void {
    const waiting = this.#inbox.get(message.executionId);
    if (waiting) {
      waiting.push(message);
      return;
    }
    this.#inbox.set(message.executionId, [message]);
    void this.#onActor(message.executionId, () => this.#deliver(message.executionId));
  }

  async #load(executionId: string): Promise<ExecutionState | undefined> {
    const cached = this.#cache.get(executionId);
    if (cached) return cached;
    const loaded = await this.#store.executions.load(executionId);
    if (loaded) this.#cache.set(executionId, loaded);
    return loaded;
  }

  /**
   * Handles every message waiting in the execution's inbox, in order, each on the state the previous
   * one left, and commits them as one transition. Messages that fall due together (the parallel
   * branches a stage fans out to, a batch the sweep hands over) so cost one commit instead of one
   * each, and none waits for another's commit. The outcome is what handling them one by one gives;
   * only the commit is shared (and a crash before it redelivers them all, as it would each alone).
   */
  async #deliver(executionId: string): Promise<void> {
    const messages = this.#inbox.get(executionId) ?? [];
    this.#inbox.delete(executionId);
    if (!this.#running || messages.length === 0) return;
    const ids = messages.map((message) => message.id);
    try {
      for (let attempt = 0; attempt < conflictRetries; attempt++) {
        const state = await this.#load(executionId);
        if (!state) {
          if (attempt === 0) this.#dispatching(messages);
          await this.#committer.submit({ kind: 'transition', expectedVersion: 0, transition: emptyTransition(executionId), consumedMessageIds: ids, newMessages: [] });
          this.#forget(ids);
          return;
        }
        let current = state;
        const transitions: Transition[] = [];
        for (const message of messages) {
          if (attempt === 0) this.#dispatching([message]);
          const transition = await handleMessage(current, message.body, this.#ports);
          transitions.push(transition);
          current = applyTransition(current, transition);
        }
        if (await this.#commit(state, combineTransitions(state, current, transitions), ids)) {
          this.#forget(ids);
          return;
        }
      }
      this.#logger.warn({ messages }, 'messages kept conflicting; releasing them for redelivery');
      this.#forget(ids);
      await this.#store.queue.release(this.#owner, ids);
    } catch (error) {
      // No longer held, so the heartbeat stops renewing the leases: they expire and the sweep (of any
      // process) delivers the messages again. Renewing them would keep them from everyone for good.
      this.#forget(ids);
      this.#cache.delete(executionId);
      this.#logger.error({ err: error, messages }, 'message handling failed; the messages will be redelivered');
    }
  }

  /** Reports each message's dispatch delay as its handling begins. */
  #dispatching(messages: readonly QueuedMessage[]): void {
    if (!this.#onDispatch) return;
    const now = this.#clock();
    for (const message of messages) this.#onDispatch(now - message.deliverAt);
  }

  #forget(messageIds: readonly string[]): void {
    for (const id of messageIds) this.#held.delete(id);
  }

  /** Commits a transition; on success updates the cache, publishes events and dispatches new messages. */
  async #commit(state: ExecutionState, transition: Transition, consumedMessageIds: readonly string[] = []): Promise<boolean> {
    const now = this.#clock();
    const newMessages: QueuedMessage[] = transition.messages.map((message) => ({
      id: randomUUID(),
      executionId: message.executionId,
      body: message.body,
      deliverAt: now + message.delayMs,
      leaseOwner: this.#owner,
      leaseUntil: now + message.delayMs + this.#leaseMs,
    }));
    const applied = await this.#committer.submit({
      kind: 'transition',
      expectedVersion: state.execution.version,
      transition,
      consumedMessageIds,
      newMessages,
      ...concurrencyLimitOf(state, transition),
    });
    if (!applied) {
      this.#cache.delete(state.execution.id);
      return false;
    }
    this.#cache.set(state.execution.id, applyTransition(state, transition));
    if (isComplete(transition.execution.status)) this.#cache.delete(state.execution.id);
    for (const event of transition.events) this.events.emit('event', event);
    for (const message of newMessages) this.#schedule(message);
    return true;
  }

  get #ports(): HandlerPorts {
    return {
      now: this.#clock,
      prepareStage: (state, stage) => this.#runner.prepareStage(state, stage),
      runTask: (state, stage, task, elapsedMs) => this.#runner.runTask(state, stage, task, elapsedMs, this.#clock()),
      cancelStage: (state, stage) => this.#runner.cancelStage(state, stage),
      mustWait: async (state) => {
        const id = state.execution.pipelineConfigId;
        if (id === undefined) return false;
        return mustWait(state.execution, await this.#store.executions.countActive(id));
      },
      waitingDecision: async (state, pipelineConfigId) =>
        waitingDecision(
          state.execution,
          await this.#store.executions.countActive(pipelineConfigId),
          await this.#store.executions.waiting(pipelineConfigId),
        ),
    };
  }

  // ---------------------------------------------------------------- recovery

  async #sweep(): Promise<void> {
    if (!this.#running) return;
    if (this.#sweeping) {
      this.#sweepAgain = true;
      return;
    }
    this.#sweeping = true;
    try {
      do {
        this.#sweepAgain = false;
        const claimed = await this.#store.queue.claimDue(this.#owner, this.#clock(), this.#leaseMs, 200);
        for (const message of claimed) {
          if (!this.#held.has(message.id)) this.#schedule(message);
        }
        if (claimed.length === 200) this.#sweepAgain = true;
      } while (this.#sweepAgain && this.#running);
    } catch (error) {
      this.#logger.error({ err: error }, 'queue sweep failed');
    } finally {
      this.#sweeping = false;
    }
  }

  async #heartbeat(): Promise<void> {
    const now = this.#clock();
    const due = [...this.#held.values()].filter((message) => message.deliverAt <= now).map((message) => message.id);
    try {
      await this.#store.queue.renewLeases(this.#owner, due, now + this.#leaseMs);
    } catch (error) {
      this.#logger.error({ err: error }, 'lease renewal failed');
    }
  }

  /** RUNNING executions with nothing queued are re-driven from their stored state. */
  async #repairZombies(): Promise<void> {
    try {
      for (const executionId of await this.#store.executions.runningWithoutMessages()) {
        this.#logger.warn({ executionId }, 'execution was RUNNING with no queued work; re-driving it');
        await this.#operate(executionId, (draft) => {
          redrive(draft);
          return undefined;
        }).catch((error: unknown) => this.#logger.error({ err: error, executionId }, 'repair failed'));
      }
    } catch (error) {
      this.#logger.error({ err: error }, 'zombie check failed');
    }
  }

  // ---------------------------------------------------------------- services for stages

  #services(dataDir: string, cloud: CloudServices): EngineServices {
    return {
      dataDir,
      cloud,
      claimEffect: async (key) => {
        const owner = await this.#store.effectClaims.claim(key, this.#nodeId, this.#clock());
        return { owner, mine: owner === this.#nodeId };
      },
      startChildPipeline: (request) => this.#startChild(request),
      executionStatus: async (executionId) => {
        const state = await this.#store.executions.load(executionId);
        if (!state) return undefined;
        const outputs = Object.assign({}, ...state.stages.filter((stage) => stage.parentStageId === undefined).map((stage) => stage.outputs));
        return { status: state.execution.status, outputs };
      },
      cancelExecution: (executionId, user, reason) => this.cancel(executionId, user, reason).catch((error: unknown) => {
        if (!(error instanceof GennakerError && error.code === 'GNK_E_OPERATION_REFUSED')) throw error;
      }),
      evaluate: async (source, stage, extraVariables): Promise<EvaluationOutcome> => {
        const state = await this.#load(stage.executionId);
        if (!state) return { ok: false, failure: { code: 'GNK_E_NOT_FOUND', message: `execution ${stage.executionId} does not exist` } };
        const result = evaluateExpression(source, expressionScope(state, stage, extraVariables));
        if (result.ok) return { ok: true, value: result.value };
        return {
          ok: false,
          failure: {
            code: 'GNK_E_EXPRESSION_FAILED',
            message: result.failures.map((failure) => `\${${failure.expression}}: ${failure.reason}`).join('; '),
          },
        };
      },
    };
  }

  async #startChild(request: ChildPipelineRequest): Promise<{ executionId: string }> {
    const executionId = createHash('sha256').update(request.idempotencyKey).digest('hex').slice(0, 32);
    if (await this.#store.executions.load(executionId)) return { executionId };
    await this.startPipeline(
      request.pipelineId,
      {
        type: 'pipeline',
        user: request.user,
        parameters: request.parameters,
        parentExecutionId: request.parentExecutionId,
        parentStageId: request.parentStageId,
      },
      executionId,
    );
    return { executionId };
  }
}

function emptyTransition(executionId: string): Transition {
  return {
    execution: { id: executionId } as Transition['execution'],
    executionChanged: false,
    changedStages: [],
    deletedStageIds: [],
    messages: [],
    events: [],
  };
}

/** A transition that starts a run of a pipeline with a concurrency limit commits only within that limit. */
function concurrencyLimitOf(state: ExecutionState, transition: Transition): Partial<Pick<TransitionCommit, 'concurrencyLimit'>> {
  const { pipelineConfigId, limitConcurrent, maxConcurrentExecutions } = state.execution;
  const starts = state.execution.status === 'NOT_STARTED' && transition.execution.status === 'RUNNING';
  const limit = limitConcurrent ? 1 : maxConcurrentExecutions;
  if (!starts || pipelineConfigId === undefined || limit <= 0) return {};
  return { concurrencyLimit: { pipelineConfigId, limit } };
}

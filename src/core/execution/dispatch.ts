import { completeExecution, completeStage } from './complete.js';
import { Draft, type Transition } from './draft.js';
import type { ExecutionState, MessageBody, Stage, Task } from './model.js';
import { cancelExecution } from './operator.js';
import { stageStartCheck, startExecution, startStage, type StagePreparation } from './start.js';
import { unreachable } from './status.js';
import { applyTaskResult, taskRunCheck, type TaskResult } from './tasks.js';

/**
 * What message handling needs from the world. The engine shell implements these with the store,
 * stage definitions and real tasks; tests implement them with scripts and a virtual clock. The
 * dispatcher itself decides nothing that is not in the pure functions it calls.
 */
export interface HandlerPorts {
  now(): number;
  /** Evaluate stageEnabled and expressions, validate the input, plan tasks and synthetic stages. */
  prepareStage(state: ExecutionState, stage: Stage): Promise<StagePreparation>;
  /** Run one task once. Must not throw: failures are results. */
  runTask(state: ExecutionState, stage: Stage, task: Task, elapsedMs: number): Promise<TaskResult>;
  /** Clean-up when a running stage is canceled (cancel a child pipeline, kill a job). */
  cancelStage(state: ExecutionState, stage: Stage): Promise<void>;
  /** Whether this execution must wait for others of its pipeline (limitConcurrent, maxConcurrentExecutions). */
  mustWait(state: ExecutionState): Promise<boolean>;
  /** Which waiting executions of a pipeline to start, and which to cancel as superseded. */
  waitingDecision(state: ExecutionState, pipelineConfigId: string): Promise<{ readonly start: readonly string[]; readonly cancel: readonly string[] }>;
}

function runningTask(stage: Stage | undefined): Task | undefined {
  return stage?.tasks.find((task) => task.status === 'RUNNING');
}

async function runTaskMessage(state: ExecutionState, stageId: string, taskId: string, ports: HandlerPorts): Promise<Transition> {
  const check = taskRunCheck(state, stageId, taskId, ports.now());
  let result: TaskResult;
  switch (check.kind) {
    case 'ignore':
      return new Draft(state, ports.now()).transition();
    case 'result':
      result = check.result;
      break;
    case 'run': {
      const stage = state.stages.find((candidate) => candidate.id === stageId)!;
      const task = stage.tasks.find((candidate) => candidate.id === taskId)!;
      result = await ports.runTask(state, stage, task, check.elapsedMs);
      break;
    }
    default:
      return unreachable(check);
  }
  const draft = new Draft(state, ports.now());
  applyTaskResult(draft, stageId, taskId, result);
  return draft.transition();
}

/** Handles one queue message against the current state of its execution; returns the transition to commit. */
export async function handleMessage(state: ExecutionState, body: MessageBody, ports: HandlerPorts): Promise<Transition> {
  switch (body.kind) {
    case 'startExecution': {
      if (state.execution.status === 'NOT_STARTED' && !state.execution.canceled && (await ports.mustWait(state))) {
        return new Draft(state, ports.now()).transition();
      }
      const draft = new Draft(state, ports.now());
      startExecution(draft);
      return draft.transition();
    }
    case 'startStage': {
      const check = stageStartCheck(state, body.stageId);
      const draft = (): Draft => new Draft(state, ports.now());
      switch (check.kind) {
        case 'ignore':
          return draft().transition();
        case 'completeExecution': {
          const completing = draft();
          completeExecution(completing);
          return completing.transition();
        }
        case 'start': {
          const stage = state.stages.find((candidate) => candidate.id === body.stageId)!;
          const preparation = await ports.prepareStage(state, stage);
          const starting = draft();
          startStage(starting, body.stageId, preparation);
          return starting.transition();
        }
        default:
          return unreachable(check);
      }
    }
    case 'runTask':
      return runTaskMessage(state, body.stageId, body.taskId, ports);
    case 'wakeStage': {
      const task = runningTask(state.stages.find((stage) => stage.id === body.stageId));
      if (!task) return new Draft(state, ports.now()).transition();
      return runTaskMessage(state, body.stageId, task.id, ports);
    }
    case 'completeStage': {
      const draft = new Draft(state, ports.now());
      completeStage(draft, body.stageId);
      return draft.transition();
    }
    case 'cancelStage': {
      const stage = state.stages.find((candidate) => candidate.id === body.stageId);
      if (stage) await ports.cancelStage(state, stage);
      return new Draft(state, ports.now()).transition();
    }
    case 'completeExecution': {
      const draft = new Draft(state, ports.now());
      completeExecution(draft);
      return draft.transition();
    }
    case 'cancelExecution': {
      const draft = new Draft(state, ports.now());
      cancelExecution(draft, body.user, body.reason);
      return draft.transition();
    }
    case 'startWaitingExecutions': {
      const decision = await ports.waitingDecision(state, body.pipelineConfigId);
      const draft = new Draft(state, ports.now());
      for (const id of decision.start) draft.send({ kind: 'startExecution' }, 0, id);
      for (const id of decision.cancel) {
        draft.send({ kind: 'cancelExecution', user: 'gennaker', reason: 'superseded by a newer execution of this pipeline' }, 0, id);
      }
      return draft.transition();
    }
    default:
      return unreachable(body);
  }
}

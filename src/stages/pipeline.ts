import { isGennakerError } from '../core/errors.js';
import { isComplete } from '../core/execution/index.js';
import { pipelineStageSchema, type PipelineInput } from '../core/pipeline/stage-types/pipeline-stage.js';
import type { CancelContext, StageDefinition } from '../engine/stage-contract.js';
import { running, taskFailed } from './shared/results.js';

/** Spinnaker's MonitorPipelineTask gives a child 12 h. */
const monitorTimeoutMs = 12 * 60 * 60 * 1000;
/** The engine wakes the parent when the child completes; the poll only covers a lost wake-up. */
const monitorBackoffMs = 60_000;

function childId(context: Readonly<Record<string, unknown>>): string | undefined {
  const id = context['executionId'];
  return typeof id === 'string' && id !== '' ? id : undefined;
}

async function cancelChild({ stage, execution, services }: CancelContext<PipelineInput>): Promise<void> {
  const id = childId(stage.context);
  if (id === undefined) return;
  const child = await services.executionStatus(id);
  if (!child || isComplete(child.status)) return;
  const user = execution.canceledBy ?? execution.trigger.user;
  const reason = `parent execution ${execution.id} (stage ${stage.refId}, "${stage.name}") was canceled${execution.cancellationReason ? `: ${execution.cancellationReason}` : ''}`;
  try {
    await services.cancelExecution(id, user, reason);
  } catch (error) {
    // The child finished between the status read and the cancel: nothing is left to cancel.
    if (!(isGennakerError(error) && error.code === 'GNK_E_OPERATION_REFUSED')) throw error;
  }
}

/**
 * Runs a saved pipeline as a child of this stage and, by default, waits for it. The child's id derives
 * from the task's idempotency key, so a redelivered start finds the same child; a restarted stage has a
 * new key and starts a new child. Canceling the stage cancels the child.
 */
export function pipelineStage(): StageDefinition<PipelineInput> {
  return {
    type: 'pipeline',
    input: pipelineStageSchema,
    plan: ({ input }) => ({
      tasks: [
        { name: 'startPipeline', implementation: 'startPipeline' },
        ...(input.waitForCompletion ? [{ name: 'monitorPipeline', implementation: 'monitorPipeline' }] : []),
      ],
      beforeStages: [],
      afterStages: [],
    }),
    tasks: {
      startPipeline: {
        run: async ({ input, execution, stage, services, idempotencyKey }) => {
          try {
            const { executionId } = await services.startChildPipeline({
              application: input.application,
              pipelineId: input.pipeline,
              parameters: input.pipelineParameters,
              parentExecutionId: execution.id,
              parentStageId: stage.id,
              user: execution.trigger.user,
              idempotencyKey,
            });
            return { kind: 'succeeded', context: { executionId }, outputs: { executionId } };
          } catch (error) {
            if (!isGennakerError(error)) throw error;
            return taskFailed(`could not start pipeline ${input.pipeline} of application ${input.application}: ${error.message}`, undefined, [
              { code: error.code, application: input.application, pipeline: input.pipeline },
            ]);
          }
        },
      },
      monitorPipeline: {
        backoffMs: monitorBackoffMs,
        timeoutMs: monitorTimeoutMs,
        run: async ({ input, stage, services }) => {
          const id = childId(stage.context);
          if (id === undefined) return taskFailed('the child pipeline was never started: startPipeline recorded no executionId');
          const child = await services.executionStatus(id);
          if (!child) return taskFailed(`child execution ${id} of pipeline ${input.pipeline} no longer exists`);
          if (!isComplete(child.status)) return running(monitorBackoffMs);
          if (child.status === 'SUCCEEDED') return { kind: 'succeeded', outputs: { outputs: child.outputs } };
          return taskFailed(`child execution ${id} of pipeline ${input.pipeline} (application ${input.application}) finished ${child.status}`, undefined, [
            { executionId: id, status: child.status },
          ]);
        },
      },
    },
    cancel: cancelChild,
  };
}

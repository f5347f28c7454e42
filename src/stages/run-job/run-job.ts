import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { runJobStageSchema, type RunJobInput } from '../../core/pipeline/stage-types/run-job.js';
import type { CancelContext, StageDefinition } from '../../engine/stage-contract.js';
import { mapAt } from '../shared/results.js';
import { jobDirectory, jobFiles, readIfPresent } from './job-directory.js';
import { defaultJobOptions, type JobOptions } from './job-options.js';
import { groupIdOf, stopGroup } from './process-group.js';
import { startJobTask } from './start-job.js';
import { waitForJobTask } from './wait-for-job.js';

/**
 * The job directory of a stage being canceled. startJob records it; if cancel comes before that was
 * saved (it is starting right now, or Gennaker stopped right after starting it), it is derived from
 * startJob's idempotency key, whose form the stage contract documents, because CancelContext does not
 * carry task keys.
 */
function directoryToCancel({ stage, execution, services }: CancelContext<RunJobInput>): string | undefined {
  const recorded = mapAt(stage.context['job'])['directory'];
  if (typeof recorded === 'string') return recorded;
  const start = stage.tasks.find((task) => task.implementation === 'startJob');
  // A start that never began has no delivery in flight, so there is nothing to find or to stop.
  if (start === undefined || start.status === 'NOT_STARTED') return undefined;
  return jobDirectory(services.dataDir, `${execution.id}/${stage.id}/${stage.runNumber}/${start.id}`);
}

/**
 * Stops the job: marks its directory canceled first (a wrapper that has not yet run the command then
 * never will), then signals the process group it recorded. Repeating it is harmless.
 */
async function cancelJob(context: CancelContext<RunJobInput>, killGraceMs: number): Promise<void> {
  const directory = directoryToCancel(context);
  if (directory === undefined) return;
  await mkdir(directory, { recursive: true });
  if ((await readIfPresent(join(directory, jobFiles.exit))) !== undefined) return;
  await writeFile(join(directory, jobFiles.canceled), `canceled by ${context.execution.canceledBy ?? 'the engine'}\n`);
  const groupId = groupIdOf(await readIfPresent(join(directory, jobFiles.pid)));
  if (groupId !== undefined) await stopGroup(groupId, killGraceMs);
}

/**
 * Runs a command on the Gennaker machine (Gennaker's local job; Spinnaker's runJob runs a Kubernetes
 * job instead). Files in `<dataDir>/jobs/<key>/` carry its state, so a restart neither loses nor
 * repeats it.
 */
export function runJobStage(options: JobOptions = {}): StageDefinition<RunJobInput> {
  const settings = { ...defaultJobOptions, ...options };
  return {
    type: 'runJob',
    input: runJobStageSchema,
    plan: ({ input }) => ({
      tasks: [
        { name: 'startJob', implementation: 'startJob' },
        ...(input.waitForCompletion ? [{ name: 'waitForJob', implementation: 'waitForJob' }] : []),
      ],
      beforeStages: [],
      afterStages: [],
    }),
    tasks: {
      startJob: startJobTask(settings),
      waitForJob: waitForJobTask(settings),
    },
    cancel: (context) => cancelJob(context, settings.killGraceMs),
  };
}

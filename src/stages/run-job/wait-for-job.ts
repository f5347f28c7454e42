import { constants } from 'node:os';
import { join } from 'node:path';
import type { TaskResult } from '../../core/execution/index.js';
import type { TaskContext, TaskDefinition } from '../../engine/stage-contract.js';
import { mapAt, running, taskFailed, taskTimedOut } from '../shared/results.js';
import { jobFiles, logTail, parseProperties, readIfPresent } from './job-directory.js';
import type { JobOptions } from './job-options.js';
import { groupIdOf, isGroupAlive, stopGroup } from './process-group.js';
import type { RunJobInput } from '../../core/pipeline/stage-types/run-job.js';
import { notStartedYet } from './start-job.js';

/** Spinnaker's RunJobTask polls every 2 s. */
const pollMs = 2_000;

function withTail(message: string, tail: string): string {
  return tail === '' ? `${message}; it wrote no output` : `${message}; its last lines:\n${tail}`;
}

/** A shell reports a command killed by signal N as exit code 128 + N. */
function exitDescription(exitCode: number): string {
  const signal = Object.entries(constants.signals).find(([, number]) => number === exitCode - 128)?.[0];
  return signal === undefined ? `the job exited with code ${exitCode}` : `the job exited with code ${exitCode} (killed by ${signal})`;
}

async function finished(context: TaskContext<RunJobInput>, job: Readonly<Record<string, unknown>>, directory: string, exitText: string): Promise<TaskResult> {
  const { input, logger } = context;
  const tail = await logTail(directory, input.logTailLines);
  if (!/^\d+$/.test(exitText.trim())) {
    return taskFailed(withTail(`the job's exit file in ${directory} holds ${JSON.stringify(exitText)}, not an exit code`, tail));
  }
  const exitCode = Number(exitText.trim());
  if (exitCode !== 0) {
    return taskFailed(withTail(exitDescription(exitCode), tail), { job: { ...job, exitCode } }, [{ exitCode, logTail: tail }]);
  }
  const { values, ignored } = parseProperties((await readIfPresent(join(directory, jobFiles.output))) ?? '');
  if (ignored.length > 0) logger.warn({ directory, ignored }, 'lines without key=value in the job output file were ignored');
  return { kind: 'succeeded', context: { job: { ...job, exitCode } }, outputs: { ...values, exitCode, logTail: tail } };
}

/**
 * Waits for the job's exit code. Every check reads the job's files, so it works the same after a
 * Gennaker restart. The job's own `timeoutSeconds` counts from its start, wall-clock (the process
 * keeps running while an execution is paused); when it passes, the process group is stopped.
 */
export function waitForJobTask(options: Required<JobOptions>): TaskDefinition<RunJobInput> {
  return {
    backoffMs: pollMs,
    run: async (context) => {
      const { input, stage, now } = context;
      const job = mapAt(stage.context['job']);
      const directory = job['directory'];
      if (typeof directory !== 'string') return taskFailed('startJob recorded no job directory, so there is no job to wait for');
      const file = (name: string): Promise<string | undefined> => readIfPresent(join(directory, name));
      const exitText = await file(jobFiles.exit);
      if (exitText !== undefined) return finished(context, job, directory, exitText);
      const groupId = groupIdOf(await file(jobFiles.pid));
      if (groupId === undefined) return notStartedYet(directory, options.startGraceMs, pollMs);
      if (!(await isGroupAlive(groupId))) {
        // It may have ended between the two reads.
        const lateExit = await file(jobFiles.exit);
        if (lateExit !== undefined) return finished(context, job, directory, lateExit);
        const tail = await logTail(directory, input.logTailLines);
        return taskFailed(
          withTail(`the job (process group ${groupId}) ended without recording an exit code: it was killed by a signal, or the machine restarted while it ran`, tail),
          undefined,
          [{ logTail: tail }],
        );
      }
      const startedAt = typeof job['startedAt'] === 'number' ? job['startedAt'] : now;
      if (now - startedAt > input.timeoutSeconds * 1000) {
        await stopGroup(groupId, options.killGraceMs);
        const tail = await logTail(directory, input.logTailLines);
        return taskTimedOut(withTail(`the job ran longer than its timeoutSeconds of ${input.timeoutSeconds} s and was stopped (process group ${groupId})`, tail), undefined, [
          { timeoutSeconds: input.timeoutSeconds, logTail: tail },
        ]);
      }
      return running(pollMs);
    },
  };
}

import { spawn } from 'node:child_process';
import { mkdir, open, stat, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { TaskResult } from '../../core/execution/index.js';
import type { TaskContext, TaskDefinition } from '../../engine/stage-contract.js';
import { running, taskFailed } from '../shared/results.js';
import { jobDirectory, jobFiles, readIfPresent, unchangedForMs } from './job-directory.js';
import type { JobOptions } from './job-options.js';
import { argvOf, type RunJobInput } from './run-job-input.js';

/**
 * Runs as the job's process-group leader. It records its pid before anything else (so the job can be
 * found and stopped after a crash), does not run the command if cancel got there first, and records
 * the command's exit code when it ends. Files are written beside and renamed, so readers never see
 * half a number.
 */
const wrapperScript = `
dir=$1
shift
{ echo $$ > "$dir/${jobFiles.pid}.tmp" && mv "$dir/${jobFiles.pid}.tmp" "$dir/${jobFiles.pid}"; } || exit 125
[ -e "$dir/${jobFiles.canceled}" ] && exit 0
"$@"
code=$?
echo $code > "$dir/${jobFiles.exit}.tmp" && mv "$dir/${jobFiles.exit}.tmp" "$dir/${jobFiles.exit}"
exit $code
`;

/**
 * What a job sees of Gennaker's own environment: enough to find programs and behave like a login
 * shell, and nothing else, so server settings such as database URLs do not leak into jobs. A job
 * gets more through its `env`.
 */
const inheritedVariables = ['PATH', 'HOME', 'USER', 'LOGNAME', 'SHELL', 'LANG', 'LC_ALL', 'TZ', 'TMPDIR'];

function jobEnvironment({ input, idempotencyKey, execution, stage }: TaskContext<RunJobInput>, directory: string): Record<string, string> {
  const env: Record<string, string> = {};
  for (const name of inheritedVariables) {
    const value = process.env[name];
    if (value !== undefined) env[name] = value;
  }
  return {
    ...env,
    ...input.env,
    GENNAKER_IDEMPOTENCY_KEY: idempotencyKey,
    GENNAKER_EXECUTION_ID: execution.id,
    GENNAKER_STAGE_ID: stage.id,
    GENNAKER_OUTPUT: join(directory, jobFiles.output),
  };
}

async function isDirectory(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isDirectory();
  } catch {
    return false;
  }
}

async function spawnWrapper(directory: string, argv: readonly string[], cwd: string, env: Record<string, string>): Promise<void> {
  const log = await open(join(directory, jobFiles.log), 'a');
  try {
    const child = spawn('/bin/sh', ['-c', wrapperScript, 'gennaker-job', directory, ...argv], {
      cwd,
      env,
      detached: true,
      stdio: ['ignore', log.fd, log.fd],
    });
    await new Promise<void>((resolve, reject) => {
      child.once('spawn', resolve);
      child.once('error', reject);
    });
    child.unref();
  } finally {
    await log.close();
  }
}

/**
 * A job directory without a pid file: another delivery is starting the job right now (its pid file is
 * moments away), or, once that has taken too long, Gennaker stopped between creating the directory and
 * starting the command. The job is then not started at all rather than perhaps twice.
 */
export async function notStartedYet(directory: string, startGraceMs: number, backoffMs: number): Promise<TaskResult> {
  const age = await unchangedForMs(directory);
  if (age === undefined) return taskFailed(`the job directory ${directory} is gone, so the job's state is lost; restart the stage to run it again`);
  if (age <= startGraceMs) return running(backoffMs);
  return taskFailed(
    `the job directory ${directory} exists but has no pid file: Gennaker stopped after creating it and before the command started. ` +
      'The job is not started again, so it cannot run twice; restart the stage to run it.',
  );
}

function startTimeOf(description: string | undefined): number | undefined {
  try {
    const { startedAt } = JSON.parse(description ?? '{}') as { startedAt?: unknown };
    return typeof startedAt === 'number' ? startedAt : undefined;
  } catch {
    return undefined;
  }
}

/** A second delivery of startJob: the directory says how far the first one got. */
async function resumeStart(directory: string, now: number, startGraceMs: number): Promise<TaskResult> {
  const file = (name: string): Promise<string | undefined> => readIfPresent(join(directory, name));
  const spawnError = await file(jobFiles.spawnError);
  if (spawnError !== undefined) return taskFailed(`the job could not be started: ${spawnError}`);
  if ((await file(jobFiles.canceled)) !== undefined) return { kind: 'canceled' };
  if ((await file(jobFiles.pid)) !== undefined) {
    const startedAt = startTimeOf(await file(jobFiles.description)) ?? now;
    return { kind: 'succeeded', context: { job: { directory, startedAt } } };
  }
  return notStartedYet(directory, startGraceMs, 1_000);
}

/**
 * Starts the job at most once per idempotency key. Creating the job directory (not recursively) is the
 * claim: whoever creates it starts the command, and a redelivery that finds it resumes from its files.
 * The command runs detached in its own process group and outlives a Gennaker restart.
 */
export function startJobTask(options: Required<JobOptions>): TaskDefinition<RunJobInput> {
  return {
    run: async (context) => {
      const { input, idempotencyKey, now, services, logger } = context;
      const directory = jobDirectory(services.dataDir, idempotencyKey);
      if (input.workingDirectory !== undefined && !(await isDirectory(input.workingDirectory))) {
        return taskFailed(`the job's workingDirectory ${input.workingDirectory} is not an existing directory`);
      }
      await mkdir(dirname(directory), { recursive: true });
      try {
        await mkdir(directory);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'EEXIST') return resumeStart(directory, now, options.startGraceMs);
        throw error;
      }
      const argv = argvOf(input);
      const workingDirectory = input.workingDirectory ?? directory;
      await writeFile(join(directory, jobFiles.description), JSON.stringify({ command: argv, workingDirectory, startedAt: now }));
      try {
        await spawnWrapper(directory, argv, workingDirectory, jobEnvironment(context, directory));
      } catch (error) {
        const reason = error instanceof Error ? error.message : String(error);
        await writeFile(join(directory, jobFiles.spawnError), reason);
        return taskFailed(`the job could not be started: ${reason}`);
      }
      logger.info({ directory }, 'job started');
      return { kind: 'succeeded', context: { job: { directory, startedAt: now } } };
    },
  };
}

import { spawn } from 'node:child_process';
import { mkdir, open, rmdir, stat, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { TaskResult } from '../../core/execution/index.js';
import type { TaskContext, TaskDefinition } from '../../engine/stage-contract.js';
import { running, taskFailed } from '../shared/results.js';
import { jobDirectory, jobFiles, readIfPresent, unchangedForMs } from './job-directory.js';
import type { JobOptions } from './job-options.js';
import { argvOf, type RunJobInput } from '../../core/pipeline/stage-types/run-job.js';

/**
 * Runs as the job's process-group leader. It first claims the job by creating the claim directory:
 * several wrappers may be started for one key (a redelivery after Gennaker stopped mid-start cannot
 * tell whether one was), and only the one that creates it goes on. It then records its pid (so the job
 * can be found and stopped after a crash), does not run the command if cancel got there first, and
 * records the command's exit code when it ends. Files are written beside and renamed, so readers never
 * see half a number.
 */
const wrapperScript = `
dir=$1
shift
mkdir "$dir/${jobFiles.claim}" 2>/dev/null || exit 0
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
 * A started job without a pid file: its wrapper is starting right now (the pid file is moments away),
 * or, once that has taken too long, the wrapper was stopped (killed, or the machine restarted) before
 * it recorded its pid. Whether the command ran is then unknown, so it is not started again rather than
 * perhaps twice.
 */
export async function notStartedYet(directory: string, startGraceMs: number, backoffMs: number): Promise<TaskResult> {
  const age = await unchangedForMs(directory);
  if (age === undefined) return taskFailed(`the job directory ${directory} is gone, so the job's state is lost; restart the stage to run it again`);
  if (age <= startGraceMs) return running(backoffMs);
  return taskFailed(
    `the job directory ${directory} has no pid file: the job's wrapper was stopped (killed, or the machine restarted) before the command started. ` +
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

/**
 * Writes job.json unless an earlier delivery did, and returns the start time it records: every
 * delivery of one start then reports the same job.
 */
async function describeJob(directory: string, description: { command: readonly string[]; workingDirectory: string; startedAt: number }): Promise<number> {
  const path = join(directory, jobFiles.description);
  try {
    await writeFile(path, JSON.stringify(description), { flag: 'wx' });
    return description.startedAt;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    return startTimeOf(await readIfPresent(path)) ?? description.startedAt;
  }
}

/**
 * A second delivery of startJob: the directory says how far the first one got. Undefined when no
 * wrapper has claimed the job: Gennaker stopped before it started one (or one is starting right now),
 * and starting a wrapper is then safe, because only one wrapper can claim the job.
 */
async function resumeStart(directory: string, now: number, startGraceMs: number): Promise<TaskResult | undefined> {
  const file = (name: string): Promise<string | undefined> => readIfPresent(join(directory, name));
  const spawnError = await file(jobFiles.spawnError);
  if (spawnError !== undefined) return taskFailed(`the job could not be started: ${spawnError}`);
  if ((await file(jobFiles.canceled)) !== undefined) return { kind: 'canceled' };
  if ((await file(jobFiles.pid)) !== undefined) {
    const startedAt = startTimeOf(await file(jobFiles.description)) ?? now;
    return { kind: 'succeeded', context: { job: { directory, startedAt } } };
  }
  if (await isDirectory(join(directory, jobFiles.claim))) return notStartedYet(directory, startGraceMs, 1_000);
  return undefined;
}

/**
 * Runs the job at most once per idempotency key, and does not lose it when Gennaker stops mid-start.
 * The key is also claimed in the store for this engine node, so a node on another machine (another
 * data directory) that gets the redelivery does not run it a second time. The first delivery creates
 * the job directory, and a redelivery that finds it resumes from its files,
 * starting a wrapper if none has claimed the job yet (the claim keeps the command to one run). The
 * command runs detached in its own process group and outlives a Gennaker restart.
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
      let existed = false;
      try {
        await mkdir(directory);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
        existed = true;
      }
      // Claimed after the directory is made and before anything is spawned: a node that finds the claim
      // taken but did not find the directory cannot see the other node's files, so cannot tell whether
      // the job runs there.
      const claim = await services.claimEffect(idempotencyKey);
      if (!claim.mine && !existed) {
        await rmdir(directory);
        return taskFailed(
          `the job was started by engine node ${claim.owner}, and its files are not in this node's data directory ${services.dataDir} ` +
            '(nodes sharing a database do not share it). It is not started again, so it cannot run twice; restart the stage to run it anew.',
        );
      }
      if (existed) {
        const resumed = await resumeStart(directory, now, options.startGraceMs);
        if (resumed !== undefined) return resumed;
      }
      const argv = argvOf(input);
      const workingDirectory = input.workingDirectory ?? directory;
      const startedAt = await describeJob(directory, { command: argv, workingDirectory, startedAt: now });
      try {
        await spawnWrapper(directory, argv, workingDirectory, jobEnvironment(context, directory));
      } catch (error) {
        const reason = error instanceof Error ? error.message : String(error);
        await writeFile(join(directory, jobFiles.spawnError), reason);
        return taskFailed(`the job could not be started: ${reason}`);
      }
      logger.info({ directory }, 'job started');
      return { kind: 'succeeded', context: { job: { directory, startedAt } } };
    },
  };
}

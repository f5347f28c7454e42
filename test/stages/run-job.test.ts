import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readFile, rm, utimes } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { TaskResult } from '../../src/core/execution/index.js';
import { runJobStage, type RunJobInput } from '../../src/stages/index.js';
import { jobDirectory } from '../../src/stages/run-job/job-directory.js';
import { isGroupAlive } from '../../src/stages/run-job/process-group.js';
import { assertTerminal, cancelContext, fakeServices, inputProblems, parseInput, plannedTasks, runTask } from './support.js';

const definition = runJobStage({ killGraceMs: 300, startGraceMs: 60_000 });

let dataDir: string;
let scratch: string;
before(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'gennaker-jobs-'));
  scratch = await mkdtemp(join(tmpdir(), 'gennaker-scratch-'));
});
after(async () => {
  await rm(dataDir, { recursive: true, force: true });
  await rm(scratch, { recursive: true, force: true });
});

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

let keys = 0;
/** A fresh idempotency key per job, as a new task run would have. */
const nextKey = (): string => `exec-1/stage-${++keys}/0/1`;

function jobContext(result: TaskResult): Record<string, unknown> {
  assert.equal(result.kind, 'succeeded', `startJob: ${JSON.stringify(result)}`);
  return result.kind === 'succeeded' ? (result.context ?? {}) : {};
}

async function startJob(raw: Record<string, unknown>, idempotencyKey = nextKey(), jobs = definition): Promise<{ input: RunJobInput; context: Record<string, unknown>; idempotencyKey: string }> {
  const input = parseInput(jobs, raw);
  const result = await runTask(jobs, 'startJob', { input, idempotencyKey, services: fakeServices({ dataDir }), now: 1_000 });
  return { input, context: jobContext(result), idempotencyKey };
}

/** Runs waitForJob as the engine would, every 20 ms of real time, until it stops running (5 s at most). */
async function waitForJob(job: { input: RunJobInput; context: Record<string, unknown> }, now = 2_000): Promise<TaskResult> {
  const deadline = Date.now() + 5_000;
  for (;;) {
    const result = await runTask(definition, 'waitForJob', { input: job.input, stage: { context: job.context }, services: fakeServices({ dataDir }), now });
    if (result.kind !== 'running' || Date.now() > deadline) return result;
    assert.equal(result.backoffMs, 2_000);
    await sleep(20);
  }
}

async function pidOf(context: Record<string, unknown>): Promise<number> {
  const directory = (context['job'] as Record<string, string>)['directory']!;
  const deadline = Date.now() + 5_000;
  while (Date.now() < deadline) {
    try {
      return Number((await readFile(join(directory, 'pid'), 'utf8')).trim());
    } catch {
      await sleep(10);
    }
  }
  assert.fail('the job never wrote its pid');
}

describe('runJob input', () => {
  test('takes a command line or an argument list, with defaults', () => {
    const line = parseInput(definition, { command: 'make deploy', env: { REPLICAS: 3, DRY_RUN: false, NAME: 'x' } });
    assert.equal(line.command, 'make deploy');
    assert.deepEqual(line.env, { REPLICAS: '3', DRY_RUN: 'false', NAME: 'x' });
    assert.equal(line.timeoutSeconds, 7200);
    assert.equal(line.logTailLines, 50);
    assert.equal(line.waitForCompletion, true);
    const list = parseInput(definition, { command: ['/usr/bin/env', 'ls'], timeoutSeconds: '60', logTailLines: '0', waitForCompletion: 'false', workingDirectory: '/tmp' });
    assert.deepEqual(list.command, ['/usr/bin/env', 'ls']);
    assert.equal(list.timeoutSeconds, 60);
    assert.equal(list.logTailLines, 0);
    assert.equal(list.waitForCompletion, false);
  });

  test('refuses what cannot run, naming the field', () => {
    assert.deepEqual(inputProblems(definition, {}), ['command: expected a command: a shell command line (text) or a list [program, ...arguments]']);
    assert.deepEqual(inputProblems(definition, { command: [] }), ['command: expected at least the program to run']);
    assert.deepEqual(inputProblems(definition, { command: 'ls', workingDirectory: 'build' }), ['workingDirectory: expected an absolute directory path']);
    assert.deepEqual(inputProblems(definition, { command: 'ls', timeoutSeconds: 0 }), ['timeoutSeconds: expected a whole number of seconds, 1 or more']);
  });

  test('plans start and wait, or only start', () => {
    assert.deepEqual(plannedTasks(definition, parseInput(definition, { command: 'true' })), ['startJob', 'waitForJob']);
    assert.deepEqual(plannedTasks(definition, parseInput(definition, { command: 'true', waitForCompletion: false })), ['startJob']);
  });
});

describe('runJob with real processes', () => {
  test('a job that exits non-zero fails the stage with its exit code and last lines', async () => {
    const job = await startJob({ command: 'echo hi; echo oops >&2; exit 3' });
    const result = await waitForJob(job);
    assertTerminal(result, 'GNK_E_TASK_FAILED', /^the job exited with code 3; its last lines:\nhi\noops$/);
    assert.equal(result.kind === 'terminal' && (result.context?.['job'] as Record<string, unknown>)['exitCode'], 3);
  });

  test('a job that succeeds publishes its exit code, log tail and GENNAKER_OUTPUT values', async () => {
    const command = [
      'echo "version=1.2.3" >> "$GENNAKER_OUTPUT"',
      'printf "# a comment\\n\\nimage = shop:42\\nno equals sign\\nexitCode=99\\n" >> "$GENNAKER_OUTPUT"',
      'echo "$GENNAKER_EXECUTION_ID $GENNAKER_STAGE_ID $GENNAKER_IDEMPOTENCY_KEY $GREETING"',
      'pwd',
    ].join('; ');
    const job = await startJob({ command, env: { GREETING: 'hello' } }, 'exec-1/stage-ok/0/1');
    const result = await waitForJob(job);
    assert.equal(result.kind, 'succeeded', JSON.stringify(result));
    if (result.kind !== 'succeeded') return;
    const directory = jobDirectory(dataDir, 'exec-1/stage-ok/0/1');
    assert.deepEqual(result.outputs, {
      version: '1.2.3',
      image: 'shop:42',
      exitCode: 0,
      logTail: `exec-1 stage-1 exec-1/stage-ok/0/1 hello\n${directory}`,
    });
  });

  test('an argument list runs without a shell, in the given working directory', async () => {
    const job = await startJob({ command: ['/bin/echo', 'a  b', '$HOME', '*'], workingDirectory: scratch });
    const result = await waitForJob(job);
    assert.equal(result.kind === 'succeeded' && result.outputs?.['logTail'], 'a  b $HOME *');
    const pwd = await waitForJob(await startJob({ command: ['/bin/pwd'], workingDirectory: scratch }));
    assert.equal(pwd.kind === 'succeeded' && pwd.outputs?.['logTail'], scratch);
  });

  test('logTailLines limits the tail; a silent failure says it wrote nothing; a signal is named', async () => {
    const many = await waitForJob(await startJob({ command: 'seq 1 1000; exit 1', logTailLines: 3 }));
    assertTerminal(many, 'GNK_E_TASK_FAILED', /^the job exited with code 1; its last lines:\n998\n999\n1000$/);
    const silent = await waitForJob(await startJob({ command: 'exit 7' }));
    assertTerminal(silent, 'GNK_E_TASK_FAILED', /^the job exited with code 7; it wrote no output$/);
    const killed = await waitForJob(await startJob({ command: 'echo about to go; kill -KILL $$' }));
    assertTerminal(killed, 'GNK_E_TASK_FAILED', /^the job exited with code 137 \(killed by SIGKILL\); its last lines:\nabout to go(\n.*Killed.*)?$/);
    const missing = await waitForJob(await startJob({ command: ['gennaker-no-such-program'] }));
    assertTerminal(missing, 'GNK_E_TASK_FAILED', /^the job exited with code 127; its last lines:\n.*gennaker-no-such-program.*not found/);
  });

  test("the job sees PATH but not the rest of Gennaker's environment", async () => {
    process.env['GENNAKER_TEST_SECRET'] = 'do-not-leak';
    try {
      const result = await waitForJob(await startJob({ command: 'echo "[$GENNAKER_TEST_SECRET] ${PATH:+has-path}"' }));
      assert.equal(result.kind === 'succeeded' && result.outputs?.['logTail'], '[] has-path');
    } finally {
      delete process.env['GENNAKER_TEST_SECRET'];
    }
  });

  test('startJob delivered again with the same key does not start the command again', async () => {
    const counter = join(scratch, 'started-once');
    const command = `echo started >> '${counter}'`;
    const key = nextKey();
    const first = await startJob({ command }, key);
    const again = await runTask(definition, 'startJob', { input: first.input, idempotencyKey: key, services: fakeServices({ dataDir }), now: 9_000 });
    // Right after the first start the pid file may still be on its way: then the redelivery waits for it.
    assert.ok(again.kind === 'succeeded' || (again.kind === 'running' && again.backoffMs === 1_000), JSON.stringify(again));
    assert.equal((await waitForJob(first)).kind, 'succeeded');
    const late = await runTask(definition, 'startJob', { input: first.input, idempotencyKey: key, services: fakeServices({ dataDir }), now: 9_000 });
    assert.deepEqual(late, { kind: 'succeeded', context: first.context });
    assert.equal((await readFile(counter, 'utf8')).split('\n').filter(Boolean).length, 1);
    await waitForJob(await startJob({ command }, nextKey()));
    assert.equal((await readFile(counter, 'utf8')).split('\n').filter(Boolean).length, 2, 'a new key is a new job');
  });

  test('a start another engine node claimed is not run here when its files are not on this machine', async () => {
    const counter = join(scratch, 'claimed-elsewhere');
    const key = nextKey();
    const input = parseInput(definition, { command: `echo ran >> '${counter}'` });
    const claimedElsewhere = fakeServices({ dataDir, claimEffect: async () => ({ owner: 'node-a', mine: false }) });
    const result = await runTask(definition, 'startJob', { input, idempotencyKey: key, services: claimedElsewhere, now: 1_000 });
    assertTerminal(result, 'GNK_E_TASK_FAILED', /started by engine node node-a, and its files are not in this node's data directory .* not started again, so it cannot run twice/);
    await assert.rejects(readFile(jobDirectory(dataDir, key)), /ENOENT/);
    await assert.rejects(readFile(counter), /ENOENT/);
  });

  test('a start another node claimed resumes from its files when the data directory is shared', async () => {
    const first = await startJob({ command: 'true' });
    const sharedDirectory = fakeServices({ dataDir, claimEffect: async () => ({ owner: 'node-a', mine: false }) });
    assert.equal((await waitForJob(first)).kind, 'succeeded');
    const again = await runTask(definition, 'startJob', { input: first.input, idempotencyKey: first.idempotencyKey, services: sharedDirectory, now: 9_000 });
    assert.deepEqual(again, { kind: 'succeeded', context: first.context });
  });

  test('a start cut short after its directory was made runs the job on redelivery, exactly once', async () => {
    const counter = join(scratch, 'resumed-once');
    const key = nextKey();
    // Gennaker stopped between creating the job directory and starting the wrapper.
    await mkdir(jobDirectory(dataDir, key), { recursive: true });
    const job = await startJob({ command: `echo ran >> '${counter}'` }, key);
    assert.equal((await waitForJob(job)).kind, 'succeeded');
    const again = await runTask(definition, 'startJob', { input: job.input, idempotencyKey: key, services: fakeServices({ dataDir }), now: 9_000 });
    assert.deepEqual(again, { kind: 'succeeded', context: job.context });
    assert.equal(await readFile(counter, 'utf8'), 'ran\n');
  });

  test('deliveries of one start racing each other run the command once', async () => {
    const counter = join(scratch, 'raced-once');
    const key = nextKey();
    const input = parseInput(definition, { command: `echo ran >> '${counter}'` });
    const deliver = () => runTask(definition, 'startJob', { input, idempotencyKey: key, services: fakeServices({ dataDir }), now: 1_000 });
    const results = await Promise.all([deliver(), deliver(), deliver(), deliver()]);
    const started = results.find((result) => result.kind === 'succeeded');
    assert.ok(started, JSON.stringify(results));
    assert.equal((await waitForJob({ input, context: jobContext(started) })).kind, 'succeeded');
    assert.equal(await readFile(counter, 'utf8'), 'ran\n');
  });

  test('a claimed job without a pid file long after fails instead of starting twice', async () => {
    const key = nextKey();
    const directory = jobDirectory(dataDir, key);
    await mkdir(join(directory, 'claimed'), { recursive: true });
    const input = parseInput(definition, { command: 'true' });
    const run = () => runTask(definition, 'startJob', { input, idempotencyKey: key, services: fakeServices({ dataDir }) });
    assert.deepEqual(await run(), { kind: 'running', backoffMs: 1_000 }, 'fresh: the wrapper that claimed it may be starting');
    const longAgo = new Date(Date.now() - 120_000);
    await utimes(directory, longAgo, longAgo);
    assertTerminal(await run(), 'GNK_E_TASK_FAILED', /has no pid file: the job's wrapper was stopped \(killed, or the machine restarted\) before the command started\. The job is not started again/);
    const waited = await runTask(definition, 'waitForJob', { input, stage: { context: { job: { directory, startedAt: 0 } } }, services: fakeServices({ dataDir }) });
    assertTerminal(waited, 'GNK_E_TASK_FAILED', /has no pid file/);
  });

  test('a job directory removed under a running stage fails the wait, saying so', async () => {
    const input = parseInput(definition, { command: 'true' });
    const directory = join(dataDir, 'jobs', 'removed-by-someone');
    const result = await runTask(definition, 'waitForJob', { input, stage: { context: { job: { directory, startedAt: 0 } } }, services: fakeServices({ dataDir }) });
    assertTerminal(result, 'GNK_E_TASK_FAILED', /^the job directory .*removed-by-someone is gone, so the job's state is lost; restart the stage to run it again$/);
  });

  test('a working directory that does not exist fails before anything starts', async () => {
    const input = parseInput(definition, { command: 'true', workingDirectory: join(scratch, 'nope') });
    const result = await runTask(definition, 'startJob', { input, idempotencyKey: nextKey(), services: fakeServices({ dataDir }) });
    assertTerminal(result, 'GNK_E_TASK_FAILED', /^the job's workingDirectory .*nope is not an existing directory$/);
  });

  test('cancel stops the process group, and repeating it is harmless', async () => {
    const job = await startJob({ command: 'sleep 30 & sleep 30; wait' });
    const pid = await pidOf(job.context);
    assert.ok(await isGroupAlive(pid));
    const cancel = cancelContext(job.input, { stage: { context: job.context }, services: fakeServices({ dataDir }), execution: { canceled: true, canceledBy: 'erin' } });
    await definition.cancel!(cancel);
    assert.equal(await isGroupAlive(pid), false);
    await definition.cancel!(cancel);
    assertTerminal(await waitForJob(job), 'GNK_E_TASK_FAILED', /ended without recording an exit code/);
  });

  test('cancel before the start was recorded finds the job by its key, and the job then never runs', async () => {
    const counter = join(scratch, 'never-ran');
    const input = parseInput(definition, { command: `echo ran >> '${counter}'` });
    const stage = { id: 'stage-late', runNumber: 2, tasks: [{ id: '1', name: 'startJob', implementation: 'startJob', status: 'RUNNING' as const, retries: 0 }] };
    await definition.cancel!(cancelContext(input, { stage, services: fakeServices({ dataDir }) }));
    const result = await runTask(definition, 'startJob', { input, idempotencyKey: 'exec-1/stage-late/2/1', services: fakeServices({ dataDir }) });
    assert.deepEqual(result, { kind: 'canceled' });
    await sleep(50);
    await assert.rejects(readFile(counter, 'utf8'), { code: 'ENOENT' });
  });

  test('cancel before startJob ever began leaves no trace', async () => {
    const input = parseInput(definition, { command: 'true' });
    const stage = { id: 'stage-early', tasks: [{ id: '1', name: 'startJob', implementation: 'startJob', status: 'NOT_STARTED' as const, retries: 0 }] };
    await definition.cancel!(cancelContext(input, { stage, services: fakeServices({ dataDir }) }));
    await assert.rejects(readFile(join(jobDirectory(dataDir, 'exec-1/stage-early/0/1'), 'canceled'), 'utf8'), { code: 'ENOENT' });
  });

  test('a job over its timeoutSeconds is stopped, even one that ignores SIGTERM', async () => {
    const job = await startJob({ command: "trap '' TERM; sleep 30", timeoutSeconds: 1 });
    const pid = await pidOf(job.context);
    const result = await runTask(definition, 'waitForJob', { input: job.input, stage: { context: job.context }, services: fakeServices({ dataDir }), now: 1_000 + 1_001 });
    assertTerminal(result, 'GNK_E_TASK_TIMEOUT', new RegExp(`^the job ran longer than its timeoutSeconds of 1 s and was stopped \\(process group ${pid}\\); it wrote no output$`));
    assert.equal(await isGroupAlive(pid), false);
  });

  test('the job directory name spells out the key', () => {
    assert.equal(jobDirectory('/data', 'exec-1/3<1/0/2'), join('/data', 'jobs', 'exec-1%2F3%3C1%2F0%2F2'));
    assert.match(jobDirectory('/data', 'x'.repeat(300)), /\/data\/jobs\/sha256-[0-9a-f]{64}$/);
  });
});

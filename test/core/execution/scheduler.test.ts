import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { finalExecutionStatus } from '../../../src/core/execution/complete.js';
import { mustWait, waitingDecision } from '../../../src/core/execution/concurrency.js';
import type { OnFailure, Stage } from '../../../src/core/execution/model.js';
import {
  cancelExecution,
  patchStageContext,
  pauseExecution,
  redrive,
  restartStage,
  resumeExecution,
  skipStage,
} from '../../../src/core/execution/operator.js';
import type { ExecutionStatus } from '../../../src/core/execution/status.js';
import type { TaskResult } from '../../../src/core/execution/tasks.js';
import { fail, Simulator, succeed } from './simulator.js';

/** A branch A (refId 1) → A2 (2) beside a slow branch B (3) that needs `slowSteps` polls. */
function branches(onFailure: OnFailure, slowSteps = 3): Simulator {
  return new Simulator(
    [
      { refId: '1', type: 'failing', onFailure },
      { refId: '2', requisiteStageRefIds: ['1'] },
      { refId: '3', type: 'slow' },
    ],
    {
      failing: { task: () => fail('bad thing') },
      slow: { task: (_s, _t, attempt) => (attempt < slowSteps ? { kind: 'running', backoffMs: 1000 } : succeed) },
    },
  );
}

describe('failure semantics (every row of the "if stage fails" table)', () => {
  test('halt the entire pipeline: stage TERMINAL, downstream never runs, other branches canceled, execution TERMINAL', async () => {
    const sim = await branches('haltPipeline').start();
    assert.equal(sim.statusOf('1'), 'TERMINAL');
    assert.equal(sim.statusOf('2'), 'NOT_STARTED');
    assert.equal(sim.statusOf('3'), 'CANCELED');
    assert.deepEqual(sim.canceledStages, ['3']);
    assert.equal(sim.state.execution.status, 'TERMINAL');
    assert.equal(sim.stage('1').failure?.message, 'bad thing');
  });

  test('halt this branch: stage STOPPED, its downstream never runs, other branches finish, execution SUCCEEDED', async () => {
    const sim = await branches('haltBranch').start();
    assert.deepEqual([sim.statusOf('1'), sim.statusOf('2'), sim.statusOf('3')], ['STOPPED', 'NOT_STARTED', 'SUCCEEDED']);
    assert.equal(sim.state.execution.status, 'SUCCEEDED');
  });

  test('halt this branch and fail once other branches complete: execution TERMINAL, after the other branch succeeded', async () => {
    const sim = await branches('haltBranchThenFail').start();
    assert.deepEqual([sim.statusOf('1'), sim.statusOf('2'), sim.statusOf('3')], ['STOPPED', 'NOT_STARTED', 'SUCCEEDED']);
    assert.equal(sim.state.execution.status, 'TERMINAL');
    assert.ok(sim.state.execution.endTime! >= sim.stage('3').endTime!);
  });

  test('ignore the failure: stage FAILED_CONTINUE, downstream runs, execution SUCCEEDED', async () => {
    const sim = await branches('ignore').start();
    assert.deepEqual([sim.statusOf('1'), sim.statusOf('2'), sim.statusOf('3')], ['FAILED_CONTINUE', 'SUCCEEDED', 'SUCCEEDED']);
    assert.equal(sim.state.execution.status, 'SUCCEEDED');
  });
});

describe('final execution status', () => {
  const stage = (status: ExecutionStatus, onFailure: OnFailure = 'haltPipeline'): Stage =>
    ({ status, onFailure }) as unknown as Stage;
  const cases: [string, Stage[], boolean, string][] = [
    ['all succeeded', [stage('SUCCEEDED'), stage('SUCCEEDED')], false, 'SUCCEEDED'],
    ['skipped and ignored failures count as success', [stage('SKIPPED'), stage('FAILED_CONTINUE')], false, 'SUCCEEDED'],
    ['a terminal stage fails the run even while another runs', [stage('TERMINAL'), stage('RUNNING')], false, 'TERMINAL'],
    ['a canceled stage cancels the run', [stage('CANCELED'), stage('SUCCEEDED')], false, 'CANCELED'],
    ['terminal wins over canceled', [stage('CANCELED'), stage('TERMINAL')], false, 'TERMINAL'],
    ['the canceled flag wins over everything', [stage('TERMINAL')], true, 'CANCELED'],
    ['a running stage means not yet', [stage('SUCCEEDED'), stage('RUNNING')], false, 'notYet'],
    ['a paused stage means not yet', [stage('PAUSED')], false, 'notYet'],
    ['a stopped branch with nothing running succeeds', [stage('STOPPED', 'haltBranch'), stage('NOT_STARTED')], false, 'SUCCEEDED'],
    ['a stopped branch waits for running ones', [stage('STOPPED', 'haltBranch'), stage('RUNNING')], false, 'notYet'],
    ['haltBranchThenFail fails once all finished', [stage('STOPPED', 'haltBranchThenFail'), stage('SUCCEEDED')], false, 'TERMINAL'],
  ];
  for (const [name, stages, canceled, expected] of cases) {
    test(name, () => {
      const final = finalExecutionStatus(stages, canceled);
      assert.equal(final.kind === 'complete' ? final.status : 'notYet', expected);
    });
  }
});

describe('the stage graph', () => {
  test('a diamond join starts once, after both branches', async () => {
    const sim = await new Simulator(
      [
        { refId: '1' },
        { refId: '2', requisiteStageRefIds: ['1'], type: 'slow' },
        { refId: '3', requisiteStageRefIds: ['1'] },
        { refId: '4', requisiteStageRefIds: ['2', '3'] },
      ],
      { slow: { task: (_s, _t, attempt) => (attempt < 3 ? { kind: 'running', backoffMs: 500 } : succeed) } },
    ).start({ duplicateEvery: true });
    assert.equal(sim.state.execution.status, 'SUCCEEDED');
    const order = sim.startOrder();
    assert.equal(order.filter((refId) => refId === '4').length, 1);
    assert.ok(order.indexOf('4') > order.indexOf('2') && order.indexOf('4') > order.indexOf('3'));
    assert.ok(sim.stage('4').startTime! >= sim.stage('2').endTime!);
  });

  test('initial stages start together and refIds need not be numbers', async () => {
    const sim = await new Simulator([{ refId: 'build' }, { refId: 'lint' }, { refId: 'ship', requisiteStageRefIds: ['build', 'lint'] }]).start();
    assert.deepEqual(sim.startOrder(), ['build', 'lint', 'ship']);
    assert.equal(sim.state.execution.status, 'SUCCEEDED');
  });

  test('an execution without initial stages is TERMINAL', async () => {
    const noStages = await new Simulator([]).start();
    assert.equal(noStages.state.execution.status, 'TERMINAL');
    const cyclic = await new Simulator([{ refId: '1', requisiteStageRefIds: ['2'] }, { refId: '2', requisiteStageRefIds: ['1'] }]).start();
    assert.equal(cyclic.state.execution.status, 'TERMINAL');
  });

  test('a disabled stage is SKIPPED and its downstream runs', async () => {
    const sim = await new Simulator([{ refId: '1', type: 'off' }, { refId: '2', requisiteStageRefIds: ['1'] }], {
      off: { prepare: () => ({ kind: 'skip' }) },
    }).start();
    assert.deepEqual([sim.statusOf('1'), sim.statusOf('2')], ['SKIPPED', 'SUCCEEDED']);
    assert.equal(sim.state.execution.status, 'SUCCEEDED');
    assert.deepEqual(sim.taskRuns, ['2/1']);
  });

  test('a stage whose preparation fails (a bad expression) fails as its onFailure says, naming the cause', async () => {
    const failure = { code: 'GNK_E_EXPRESSION_FAILED', message: '${parameters.nope}: no parameter nope' };
    const sim = await new Simulator([{ refId: '1', type: 'bad', onFailure: 'ignore' }, { refId: '2', requisiteStageRefIds: ['1'] }], {
      bad: { prepare: () => ({ kind: 'fail', failure }) },
    }).start();
    assert.equal(sim.statusOf('1'), 'FAILED_CONTINUE');
    assert.deepEqual(sim.stage('1').failure, failure);
    assert.equal(sim.statusOf('2'), 'SUCCEEDED');
  });
});

describe('tasks', () => {
  test('tasks of a stage run in sequence; a RUNNING task is polled after its backoff', async () => {
    const sim = await new Simulator([{ type: 'three' }], {
      three: {
        plan: () => ({ tasks: ['a', 'b', 'c'].map((name) => ({ name, implementation: name })), beforeStages: [], afterStages: [] }),
        task: (_s, task, attempt) => (task.id === '2' && attempt < 3 ? { kind: 'running', backoffMs: 2000, context: { polls: attempt } } : succeed),
      },
    }).start();
    assert.deepEqual(sim.taskRuns, ['1/1', '1/2', '1/2', '1/2', '1/3']);
    assert.equal(sim.stage('1').context['polls'], 2);
    assert.equal(sim.stage('1').endTime! - sim.stage('1').startTime!, 4000);
  });

  test('a FAILED_CONTINUE task lets the next task run and marks the stage FAILED_CONTINUE', async () => {
    const sim = await new Simulator([{ type: 'two' }], {
      two: {
        plan: () => ({ tasks: [{ name: 'a', implementation: 'a' }, { name: 'b', implementation: 'b' }], beforeStages: [], afterStages: [] }),
        task: (_s, task) => (task.id === '1' ? { kind: 'failedContinue', failure: { code: 'GNK_E_TASK_FAILED', message: 'meh' } } : succeed),
      },
    }).start();
    assert.deepEqual(sim.stage('1').tasks.map((task) => task.status), ['FAILED_CONTINUE', 'SUCCEEDED']);
    assert.equal(sim.statusOf('1'), 'FAILED_CONTINUE');
    assert.equal(sim.state.execution.status, 'SUCCEEDED');
  });

  test('retryable failures are retried after a backoff and counted', async () => {
    const sim = await new Simulator([{ type: 'flaky' }], {
      flaky: { task: (_s, _t, attempt) => (attempt < 3 ? { kind: 'retry', backoffMs: 100, failure: { code: 'GNK_E_TASK_FAILED', message: 'ECONNRESET' } } : succeed) },
    }).start();
    assert.equal(sim.stage('1').tasks[0]!.retries, 2);
    assert.equal(sim.statusOf('1'), 'SUCCEEDED');
  });

  test('outputs published by a task are kept on the stage', async () => {
    const sim = await new Simulator([{ type: 'out' }], { out: { task: () => ({ kind: 'succeeded', outputs: { version: 'v2' } }) } }).start();
    assert.deepEqual(sim.stage('1').outputs, { version: 'v2' });
  });

  test('stageTimeoutMs fails a stage that runs too long, naming the timeout', async () => {
    const sim = await new Simulator([{ type: 'forever', stageTimeoutMs: 5000 }], { forever: { task: () => ({ kind: 'running', backoffMs: 1000 }) } }).start();
    assert.equal(sim.statusOf('1'), 'TERMINAL');
    assert.equal(sim.stage('1').failure?.code, 'GNK_E_STAGE_TIMEOUT');
    assert.match(sim.stage('1').failure!.message, /stageTimeoutMs of 5000 ms/);
  });

  for (const excluded of [true, false]) {
    test(`time in a holding before-stage (an execution window) ${excluded ? 'does not count' : 'counts'} toward the parent's stageTimeoutMs when ${excluded ? '' : 'not '}marked so`, async () => {
      const polls = (steps: number) => (_s: Stage, _t: unknown, attempt: number): TaskResult => (attempt < steps ? { kind: 'running', backoffMs: 1000 } : succeed);
      const sim = await new Simulator([{ type: 'held', stageTimeoutMs: 5000 }], {
        held: {
          plan: () => ({
            tasks: [{ name: 'own', implementation: 'own' }],
            beforeStages: [{ type: 'window', name: 'window', context: {}, excludedFromParentTimeout: excluded }],
            afterStages: [],
          }),
          task: polls(4),
        },
        window: { task: polls(11) },
      }).start();
      assert.equal(sim.statusOf('1<1'), 'SUCCEEDED');
      assert.equal(sim.statusOf('1'), excluded ? 'SUCCEEDED' : 'TERMINAL');
    });
  }
});

describe('synthetic stages', () => {
  const withChildren = {
    parent: {
      plan: () => ({
        tasks: [{ name: 'own', implementation: 'own' }],
        beforeStages: [
          { type: 'noop', name: 'check a', context: {} },
          { type: 'noop', name: 'check b', context: {} },
        ],
        afterStages: [
          { type: 'noop', name: 'first after', context: {}, localRefId: 'x' },
          { type: 'noop', name: 'second after', context: {}, requisiteStageRefIds: ['x'] },
        ],
      }),
    },
  };

  test('before-stages (in parallel), then the stage\'s tasks, then after-stages in their order', async () => {
    const sim = await new Simulator([{ type: 'parent' }, { refId: '2', requisiteStageRefIds: ['1'] }], withChildren).start();
    assert.deepEqual(sim.startOrder(), ['1', '1<1', '1<2', '1>1', '1>2', '2']);
    assert.deepEqual(sim.taskRuns, ['1<1/1', '1<2/1', '1/1', '1>1/1', '1>2/1', '2/1']);
    assert.equal(sim.stage('1>2').requisiteStageRefIds[0], '1>1');
    assert.equal(sim.state.execution.status, 'SUCCEEDED');
    assert.ok(sim.stage('1').endTime! >= sim.stage('1>2').endTime!);
  });

  test('a failing before-stage fails its parent with the child\'s failure; the parent\'s tasks never run', async () => {
    const sim = await new Simulator([{ type: 'parent' }], {
      ...withChildren,
      noop: { task: (stage) => (stage.name === 'check b' ? fail('precondition false') : succeed) },
    }).start();
    assert.equal(sim.statusOf('1<2'), 'TERMINAL');
    assert.equal(sim.statusOf('1'), 'TERMINAL');
    assert.equal(sim.stage('1').failure?.message, 'precondition false');
    assert.ok(!sim.taskRuns.includes('1/1'));
    assert.equal(sim.state.execution.status, 'TERMINAL');
  });
});

describe('on-failure stages', () => {
  const rollback = (own: () => TaskResult) => ({
    deploy: {
      plan: () => ({
        tasks: [{ name: 'own', implementation: 'own' }],
        beforeStages: [],
        afterStages: [{ type: 'noop', name: 'cleanup', context: {} }],
        onFailureStages: [
          { type: 'undo', name: 'disable new', context: {}, localRefId: 'a' },
          { type: 'undo', name: 'destroy new', context: {}, requisiteStageRefIds: ['a'] },
        ],
      }),
      task: own,
    },
  });

  test('a stage that succeeds never adds them', async () => {
    const sim = await new Simulator([{ type: 'deploy' }], rollback(() => succeed)).start();
    assert.equal(sim.state.execution.status, 'SUCCEEDED');
    assert.ok(!sim.state.stages.some((stage) => stage.syntheticStageOwner === 'STAGE_ON_FAILURE'));
  });

  test('a failing stage runs them in their order, then ends TERMINAL with its own failure; downstream never runs', async () => {
    const sim = await new Simulator(
      [{ type: 'deploy' }, { refId: '2', requisiteStageRefIds: ['1'] }],
      rollback(() => fail('health check timed out')),
    ).start();
    assert.deepEqual(sim.startOrder(), ['1', '1!1', '1!2']);
    assert.deepEqual([sim.statusOf('1!1'), sim.statusOf('1!2')], ['SUCCEEDED', 'SUCCEEDED']);
    assert.equal(sim.statusOf('1>1'), 'NOT_STARTED');
    assert.equal(sim.statusOf('1'), 'TERMINAL');
    assert.equal(sim.stage('1').failure?.message, 'health check timed out');
    assert.ok(sim.stage('1').endTime! >= sim.stage('1!2').endTime!);
    assert.equal(sim.statusOf('2'), 'NOT_STARTED');
    assert.equal(sim.state.execution.status, 'TERMINAL');
  });

  test('they run for a halted branch too (STOPPED), and the other branch is not canceled meanwhile', async () => {
    const sim = await new Simulator(
      [{ type: 'deploy', onFailure: 'haltBranch' }, { refId: '2', type: 'slow' }],
      { ...rollback(() => fail()), slow: { task: (_s, _t, attempt) => (attempt < 3 ? { kind: 'running', backoffMs: 1000 } : succeed) } },
    ).start();
    assert.equal(sim.statusOf('1!2'), 'SUCCEEDED');
    assert.equal(sim.statusOf('1'), 'STOPPED');
    assert.equal(sim.statusOf('2'), 'SUCCEEDED');
    assert.equal(sim.state.execution.status, 'SUCCEEDED');
  });

  test('a failing on-failure stage stops the rest of them; the parent keeps its own failure', async () => {
    const sim = await new Simulator([{ type: 'deploy' }], {
      ...rollback(() => fail('original')),
      undo: { task: () => fail('rollback broke') },
    }).start();
    assert.equal(sim.statusOf('1!1'), 'TERMINAL');
    assert.equal(sim.statusOf('1!2'), 'NOT_STARTED');
    assert.equal(sim.stage('1').failure?.message, 'original');
    assert.equal(sim.state.execution.status, 'TERMINAL');
  });

  test('a canceled execution does not run them', async () => {
    const sim = new Simulator([{ type: 'deploy' }], rollback(() => ({ kind: 'running', backoffMs: 1000 })));
    await sim.start({ until: (s) => s.taskRuns.length === 2 });
    sim.act((draft) => cancelExecution(draft, 'ann'));
    await sim.run();
    assert.equal(sim.state.execution.status, 'CANCELED');
    assert.ok(!sim.state.stages.some((stage) => stage.syntheticStageOwner === 'STAGE_ON_FAILURE'));
  });

  test('redrive after lost messages plans and runs them; restart removes them and plans afresh', async () => {
    let failing = true;
    const sim = new Simulator([{ type: 'deploy' }], rollback(() => (failing ? fail() : succeed)));
    await sim.start({ until: (s) => s.taskRuns.length === 1 });
    await sim.run({ until: (s) => s.stage('1').tasks[0]?.status === 'TERMINAL' });
    sim.dropQueue();
    sim.act(redrive);
    await sim.run();
    assert.equal(sim.statusOf('1!2'), 'SUCCEEDED');
    assert.equal(sim.statusOf('1'), 'TERMINAL');
    failing = false;
    sim.act((draft) => restartStage(draft, sim.stage('1').id, 'ann'));
    await sim.run();
    assert.equal(sim.state.execution.status, 'SUCCEEDED');
    assert.ok(!sim.state.stages.some((stage) => stage.syntheticStageOwner === 'STAGE_ON_FAILURE'));
  });

  test('delivered twice, every message changes nothing', async () => {
    const once = await new Simulator([{ type: 'deploy' }], rollback(() => fail())).start();
    const twice = await new Simulator([{ type: 'deploy' }], rollback(() => fail())).start({ duplicateEvery: true });
    assert.deepEqual(
      twice.state.stages.map((stage) => [stage.refId, stage.status]),
      once.state.stages.map((stage) => [stage.refId, stage.status]),
    );
  });
});

describe('operator controls', () => {
  const waiting = { wait: { task: (_s: Stage, _t: unknown, attempt: number) => (attempt < 100 ? { kind: 'running' as const, backoffMs: 1000 } : succeed) } };

  test('cancel: running stages are canceled and cleaned up, the execution is CANCELED with who and why', async () => {
    const sim = new Simulator([{ type: 'wait' }, { refId: '2', requisiteStageRefIds: ['1'] }], waiting);
    await sim.start({ until: (s) => s.taskRuns.length === 3 });
    sim.act((draft) => cancelExecution(draft, 'bob', 'wrong build'));
    await sim.run();
    assert.equal(sim.state.execution.status, 'CANCELED');
    assert.equal(sim.state.execution.canceledBy, 'bob');
    assert.equal(sim.state.execution.cancellationReason, 'wrong build');
    assert.deepEqual([sim.statusOf('1'), sim.statusOf('2')], ['CANCELED', 'NOT_STARTED']);
    assert.deepEqual(sim.canceledStages, ['1']);
    assert.equal(sim.taskRuns.length, 3);
  });

  test('cancel before start: the execution is CANCELED at once', async () => {
    const sim = new Simulator([{}]);
    sim.act((draft) => cancelExecution(draft, 'bob'));
    await sim.start();
    assert.equal(sim.state.execution.status, 'CANCELED');
    assert.deepEqual(sim.taskRuns, []);
  });

  test('a finished execution cannot be canceled', async () => {
    const sim = await new Simulator([{}]).start();
    assert.deepEqual(sim.act((draft) => cancelExecution(draft, 'bob')), { refused: 'execution is already SUCCEEDED' });
  });

  test('pause stops task runs and is excluded from stage timeouts; resume continues', async () => {
    const sim = new Simulator([{ type: 'wait', stageTimeoutMs: 10_000 }], {
      wait: { task: (_s, _t, attempt) => (attempt < 8 ? { kind: 'running', backoffMs: 1000 } : succeed) },
    });
    await sim.start({ until: (s) => s.taskRuns.length === 3 });
    sim.act(pauseExecution);
    assert.equal(sim.state.execution.status, 'PAUSED');
    assert.equal(sim.statusOf('1'), 'PAUSED');
    assert.equal(sim.stage('1').tasks[0]!.status, 'PAUSED');
    await sim.run();
    assert.equal(sim.taskRuns.length, 3, 'no task runs while paused');
    sim.now += 60_000;
    sim.act(resumeExecution);
    await sim.run();
    assert.equal(sim.state.execution.status, 'SUCCEEDED');
    assert.ok(sim.state.execution.pausedMs >= 60_000);
    assert.equal(sim.taskRuns.length, 8);
  });

  test('pause and resume are refused in the wrong state', async () => {
    const sim = await new Simulator([{}]).start();
    assert.deepEqual(sim.act(pauseExecution), { refused: 'only a RUNNING execution can be paused; it is SUCCEEDED' });
    assert.deepEqual(sim.act(resumeExecution), { refused: 'only a PAUSED execution can be resumed; it is SUCCEEDED' });
  });

  test('restart a failed stage: it and its downstream run again with a new run number', async () => {
    let broken = true;
    const sim = await new Simulator([{ refId: '1' }, { refId: '2', type: 'fragile', requisiteStageRefIds: ['1'] }, { refId: '3', requisiteStageRefIds: ['2'] }], {
      fragile: { task: () => (broken ? fail('first time') : succeed) },
    }).start();
    assert.equal(sim.state.execution.status, 'TERMINAL');
    broken = false;
    sim.now += 5000;
    assert.equal(sim.act((draft) => restartStage(draft, '2', 'carol')), undefined);
    await sim.run();
    assert.equal(sim.state.execution.status, 'SUCCEEDED');
    assert.deepEqual([sim.stage('1').runNumber, sim.stage('2').runNumber, sim.stage('3').runNumber], [0, 1, 1]);
    assert.deepEqual(sim.stage('2').context['restartDetails'], {
      restartedBy: 'carol',
      restartTime: sim.stage('2').startTime,
      previousFailure: { code: 'GNK_E_TASK_FAILED', message: 'first time' },
    });
    assert.equal(sim.taskRuns.filter((run) => run === '1/1').length, 1, 'upstream stage not rerun');
  });

  test('restart removes old synthetic children and plans them anew', async () => {
    const sim = await new Simulator([{ type: 'parent' }], {
      parent: { plan: () => ({ tasks: [], beforeStages: [{ type: 'noop', name: 'child', context: {} }], afterStages: [] }) },
    }).start();
    sim.act((draft) => restartStage(draft, '1', 'carol'));
    assert.equal(sim.state.stages.length, 1);
    await sim.run();
    assert.equal(sim.state.stages.length, 2);
    assert.equal(sim.statusOf('1<1'), 'SUCCEEDED');
    assert.equal(sim.stage('1<1').runNumber, 1);
  });

  test('restart is refused for a running or synthetic stage', async () => {
    const sim = new Simulator([{ type: 'wait' }], {
      ...waiting,
      wait: { ...waiting.wait, plan: () => ({ tasks: [{ name: 'w', implementation: 'w' }], beforeStages: [{ type: 'noop', name: 'c', context: {} }], afterStages: [] }) },
    });
    await sim.start({ until: (s) => s.taskRuns.length === 3 });
    assert.match(String((sim.act((draft) => restartStage(draft, '1', 'x')) as { refused: string }).refused), /is RUNNING/);
    assert.match(String((sim.act((draft) => restartStage(draft, '1<1', 'x')) as { refused: string }).refused), /is synthetic/);
  });

  test('skip a running stage: it is SKIPPED and downstream runs', async () => {
    const sim = new Simulator([{ type: 'wait' }, { refId: '2', requisiteStageRefIds: ['1'] }], waiting);
    await sim.start({ until: (s) => s.taskRuns.length === 2 });
    sim.act((draft) => skipStage(draft, '1', 'dave'));
    await sim.run();
    assert.deepEqual([sim.statusOf('1'), sim.statusOf('2')], ['SKIPPED', 'SUCCEEDED']);
    assert.equal(sim.stage('1').context['manualSkipBy'], 'dave');
  });

  test('operator input reaches the running task at once (a judgment), without waiting for the backoff', async () => {
    const sim = new Simulator([{ type: 'judge' }], {
      judge: {
        task: (stage) =>
          stage.context['judgmentStatus'] === 'continue' ? { kind: 'succeeded', outputs: { answer: stage.context['judgmentInput'] } } : { kind: 'running', backoffMs: 3_600_000 },
      },
    });
    await sim.start({ until: (s) => s.taskRuns.length === 1 });
    await sim.run({ until: (s) => s.pending().every((message) => message.deliverAt > s.now) });
    const before = sim.now;
    sim.act((draft) => patchStageContext(draft, '1', { judgmentStatus: 'continue', judgmentInput: 'ship it' }));
    await sim.run({ until: (s) => s.state.execution.status === 'SUCCEEDED' });
    assert.equal(sim.state.execution.status, 'SUCCEEDED');
    assert.equal(sim.now, before);
    assert.deepEqual(sim.stage('1').outputs, { answer: 'ship it' });
  });

  test('redrive repairs an execution whose queued messages were lost', async () => {
    const sim = new Simulator([{ type: 'wait' }, { refId: '2', requisiteStageRefIds: ['1'] }, { refId: '3', requisiteStageRefIds: ['1'] }], {
      wait: { task: (_s, _t, attempt) => (attempt < 3 ? { kind: 'running', backoffMs: 1000 } : succeed) },
    });
    await sim.start({ until: (s) => s.taskRuns.length === 2 });
    sim.dropQueue();
    sim.act(redrive);
    await sim.run();
    assert.equal(sim.state.execution.status, 'SUCCEEDED');
    assert.deepEqual([sim.statusOf('2'), sim.statusOf('3')], ['SUCCEEDED', 'SUCCEEDED']);
  });

  test('every message delivered twice changes nothing (handlers are idempotent)', async () => {
    const once = await branches('haltBranch').start();
    const twice = await branches('haltBranch').start({ duplicateEvery: true });
    assert.deepEqual(
      twice.state.stages.map((stage) => [stage.refId, stage.status]),
      once.state.stages.map((stage) => [stage.refId, stage.status]),
    );
    assert.equal(twice.state.execution.status, once.state.execution.status);
  });
});

describe('concurrency of one pipeline', () => {
  const policy = (limitConcurrent: boolean, keepWaitingPipelines: boolean, maxConcurrentExecutions = 0) => ({
    limitConcurrent,
    keepWaitingPipelines,
    maxConcurrentExecutions,
  });
  const waiting = [
    { id: 'b', buildTime: 2 },
    { id: 'a', buildTime: 1 },
    { id: 'c', buildTime: 3 },
  ];

  test('limitConcurrent lets one run at a time; maxConcurrentExecutions lets N; neither lets all', () => {
    assert.equal(mustWait(policy(true, false), 0), false);
    assert.equal(mustWait(policy(true, false), 1), true);
    assert.equal(mustWait(policy(false, false, 2), 1), false);
    assert.equal(mustWait(policy(false, false, 2), 2), true);
    assert.equal(mustWait(policy(false, false, 0), 50), false);
  });

  test('keepWaitingPipelines false: the newest waiting run starts, older ones are canceled', () => {
    assert.deepEqual(waitingDecision(policy(true, false), 0, waiting), { start: ['c'], cancel: ['a', 'b'] });
    assert.deepEqual(waitingDecision(policy(true, false), 1, waiting), { start: [], cancel: [] });
  });

  test('keepWaitingPipelines true: waiting runs start oldest first, as many as fit', () => {
    assert.deepEqual(waitingDecision(policy(true, true), 0, waiting), { start: ['a'], cancel: [] });
    assert.deepEqual(waitingDecision(policy(false, true, 3), 1, waiting), { start: ['a', 'b'], cancel: [] });
  });

  test('a run that must wait stays NOT_STARTED; finishing asks for waiting runs of its pipeline', async () => {
    const parked = await new Simulator([{}], {}, { mustWait: true }).start();
    assert.equal(parked.state.execution.status, 'NOT_STARTED');
    const finishing = await new Simulator([{}], {}, { waiting: { start: ['e2'], cancel: ['e0'] } }).start();
    assert.equal(finishing.state.execution.status, 'SUCCEEDED');
    assert.deepEqual(finishing.foreignMessages, [
      { executionId: 'e2', body: { kind: 'startExecution' } },
      { executionId: 'e0', body: { kind: 'cancelExecution', user: 'gennaker', reason: 'superseded by a newer execution of this pipeline' } },
    ]);
  });
});

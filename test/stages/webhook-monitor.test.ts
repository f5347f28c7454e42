import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { TaskResult } from '../../src/core/execution/index.js';
import { webhookStage } from '../../src/stages/index.js';
import { startRecorder, type Recorder, type Reply } from './http-recorder.js';
import { assertTerminal, parseInput, runTask } from './support.js';

const definition = webhookStage({ requestTimeoutMs: 300 });

function monitorOf(context: Record<string, unknown>): Record<string, unknown> {
  return (context['webhook'] as Record<string, unknown>)['monitor'] as Record<string, unknown>;
}

describe('monitorWebhook against a real HTTP server', () => {
  let server: Recorder;
  let replies: Reply[] = [];
  before(async () => {
    server = await startRecorder((_call, index) => replies[index] ?? { status: 500 });
  });
  after(() => server.close());

  /**
   * Polls as the engine would: each result's context is merged into the stage context before the next
   * run, until the task stops running or the replies run out.
   */
  async function poll(script: Reply[], raw: Record<string, unknown>, options: { now?: number; taskStart?: number } = {}) {
    replies = script;
    server.calls.length = 0;
    const input = parseInput(definition, { url: `${server.url}/hook`, waitForCompletion: true, ...raw });
    let context: Record<string, unknown> = { webhook: { statusCode: 202, body: { id: 7 }, statusEndpoint: `${server.url}/status/7` } };
    const results: TaskResult[] = [];
    for (let index = 0; index < script.length; index++) {
      const result = await runTask(definition, 'monitorWebhook', {
        input,
        stage: { context },
        idempotencyKey: 'exec-1/stage-1/0/2',
        now: options.now ?? 5_000,
        task: { startTime: options.taskStart ?? 4_000 },
      });
      results.push(result);
      if ('context' in result && result.context) context = { ...context, ...result.context };
      if (result.kind !== 'running') break;
    }
    return { results, context, kinds: results.map((result) => result.kind) };
  }

  test('polls the status endpoint until the status is a success status, keeping the create answer', async () => {
    const { kinds, context, results } = await poll(
      [{ status: 200, body: { state: 'queued' } }, { status: 200, body: { state: 'running' } }, { status: 200, body: { state: 'Done' } }],
      { statusJsonPath: '$.state', successStatuses: 'DONE,FINISHED' },
    );
    assert.deepEqual(kinds, ['running', 'running', 'succeeded']);
    assert.equal(results[0]!.kind === 'running' && results[0]!.backoffMs, 1_000);
    assert.deepEqual(server.calls.map((call) => [call.method, call.path, call.headers['idempotency-key']]), [
      ['GET', '/status/7', 'exec-1/stage-1/0/2:monitor:1'],
      ['GET', '/status/7', 'exec-1/stage-1/0/2:monitor:2'],
      ['GET', '/status/7', 'exec-1/stage-1/0/2:monitor:3'],
    ]);
    const webhook = context['webhook'] as Record<string, unknown>;
    assert.deepEqual(webhook['body'], { id: 7 });
    assert.equal(webhook['statusCode'], 202);
    assert.deepEqual(monitorOf(context)['body'], { state: 'Done' });
    assert.equal(monitorOf(context)['statusCode'], 200);
    assert.equal(monitorOf(context)['polls'], 3);
  });

  test('custom headers go with every poll', async () => {
    await poll([{ status: 200 }], { customHeaders: { Authorization: 'Bearer abc' } });
    assert.equal(server.calls[0]!.headers['authorization'], 'Bearer abc');
  });

  test('without statusJsonPath the first 2xx answer ends the wait', async () => {
    const { kinds } = await poll([{ status: 200, body: 'ok' }], {});
    assert.deepEqual(kinds, ['succeeded']);
  });

  test('a terminal status fails the stage, naming it; a canceled status cancels it', async () => {
    const failed = await poll([{ status: 200, body: { state: 'broken' } }], { statusJsonPath: 'state', successStatuses: 'ok', terminalStatuses: 'BROKEN, ERROR', canceledStatuses: 'ABORTED' });
    assertTerminal(failed.results[0]!, 'GNK_E_TASK_FAILED', /^the webhook's status endpoint http:\/\/127\.0\.0\.1:\d+\/status\/7 reports broken, one of its terminalStatuses$/);
    assert.match(String(monitorOf(failed.context)['error']), /reports broken, one of its terminalStatuses$/);
    const canceled = await poll([{ status: 200, body: { state: 'aborted' } }], { statusJsonPath: 'state', canceledStatuses: 'ABORTED' });
    assert.deepEqual(canceled.results, [{ kind: 'canceled' }]);
  });

  test('a number is a percentage: below 100 keeps waiting, 100 succeeds; progress text is kept', async () => {
    const { kinds, results, context } = await poll(
      [{ status: 200, body: { pct: 40, note: 'baking' } }, { status: 200, body: { pct: 100, note: 'baked' } }],
      { statusJsonPath: '$.pct', progressJsonPath: '$.note' },
    );
    assert.deepEqual(kinds, ['running', 'succeeded']);
    const first = results[0]!;
    assert.equal(first.kind === 'running' && monitorOf(first.context ?? {})['percentComplete'], 40);
    assert.equal(first.kind === 'running' && monitorOf(first.context ?? {})['progressMessage'], 'baking');
    assert.equal(monitorOf(context)['progressMessage'], 'baked');
  });

  test('a status that is missing, or not a single value, fails with the path and what was there', async () => {
    const missing = await poll([{ status: 200, body: { status: {} } }], { statusJsonPath: '$.status.phase' });
    assertTerminal(missing.results[0]!, 'GNK_E_TASK_FAILED', /^statusJsonPath \$\.status\.phase found nothing in the status answer from .*: `\$\.status` has no key `phase`$/);
    const list = await poll([{ status: 200, body: { status: ['a'] } }], { statusJsonPath: '$.status' });
    assertTerminal(list.results[0]!, 'GNK_E_TASK_FAILED', /^statusJsonPath \$\.status gave \["a"\], not a single value$/);
    const progress = await poll([{ status: 200, body: { status: 'x', note: 5 } }], { statusJsonPath: '$.status', progressJsonPath: '$.note' });
    assertTerminal(progress.results[0]!, 'GNK_E_TASK_FAILED', /^progressJsonPath \$\.note gave 5, not text$/);
  });

  test('5xx, retryStatusCodes and silence mean "ask again"; another failing answer fails the stage', async () => {
    const { kinds, context } = await poll(
      [{ status: 503 }, { status: 429 }, 'hang', { status: 404, body: { error: 'no such job' } }],
      { statusJsonPath: '$.state' },
    );
    assert.deepEqual(kinds, ['running', 'running', 'running', 'terminal']);
    assert.match(String(monitorOf(context)['error']), /^status endpoint http:\/\/127\.0\.0\.1:\d+\/status\/7 answered 404 Not Found: \{"error":"no such job"\}$/);
    assert.equal(monitorOf(context)['polls'], 4);
  });

  test('polls every second for the first minute of monitoring, then every 15 s', async () => {
    const early = await poll([{ status: 200, body: { state: 'x' } }], { statusJsonPath: 'state' }, { taskStart: 0, now: 59_000 });
    assert.equal(early.results[0]!.kind === 'running' && early.results[0]!.backoffMs, 1_000);
    const late = await poll([{ status: 200, body: { state: 'x' } }], { statusJsonPath: 'state' }, { taskStart: 0, now: 61_000 });
    assert.equal(late.results[0]!.kind === 'running' && late.results[0]!.backoffMs, 15_000);
  });

  test('monitorOnly polls statusEndpoint without any create answer', async () => {
    replies = [{ status: 200, body: { state: 'SUCCESS' } }];
    server.calls.length = 0;
    const input = parseInput(definition, { monitorOnly: true, waitForCompletion: true, statusEndpoint: `${server.url}/external/3`, statusJsonPath: 'state', successStatuses: 'SUCCESS' });
    const result = await runTask(definition, 'monitorWebhook', { input });
    assert.equal(result.kind, 'succeeded');
    assert.equal(server.calls[0]!.path, '/external/3');
  });

  test('with no status endpoint recorded there is nothing to poll', async () => {
    const input = parseInput(definition, { url: `${server.url}/hook`, waitForCompletion: true });
    assertTerminal(await runTask(definition, 'monitorWebhook', { input }), 'GNK_E_TASK_FAILED', /no status endpoint to poll/);
  });
});

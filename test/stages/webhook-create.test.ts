import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { TaskResult } from '../../src/core/execution/index.js';
import { webhookStage } from '../../src/stages/index.js';
import { startRecorder, type Recorder, type Reply } from './http-recorder.js';
import { assertTerminal, inputProblems, parseInput, plannedTasks, runTask } from './support.js';

const definition = webhookStage({ requestTimeoutMs: 300 });

function contextOf(result: TaskResult): Record<string, unknown> {
  assert.ok('context' in result && result.context, `expected a context in ${JSON.stringify(result)}`);
  return result.context;
}

function webhookOf(result: TaskResult): Record<string, unknown> {
  return contextOf(result)['webhook'] as Record<string, unknown>;
}

describe('webhook input', () => {
  test('applies Spinnaker defaults and reads numbers and flags written as text', () => {
    const input = parseInput(definition, { url: 'https://ci.example.com/hook', method: 'put', failFastStatusCodes: ['409', 504], retryStatusCodes: '429, 503', waitForCompletion: 'true', waitBeforeMonitor: '5' });
    assert.equal(input.method, 'PUT');
    assert.deepEqual(input.failFastStatusCodes, [409, 504]);
    assert.deepEqual(input.retryStatusCodes, [429, 503]);
    assert.equal(input.waitForCompletion, true);
    assert.equal(input.waitBeforeMonitor, 5);
    const defaults = parseInput(definition, { url: 'http://ci/hook', successStatuses: 'SUCCESS, done ', terminalStatuses: null });
    assert.equal(defaults.method, 'POST');
    assert.deepEqual(defaults.failFastStatusCodes, [504]);
    assert.deepEqual(defaults.retryStatusCodes, [429]);
    assert.equal(defaults.waitForCompletion, false);
    assert.equal(defaults.statusUrlResolution, 'getMethod');
    assert.deepEqual(defaults.successStatuses, ['SUCCESS', 'done']);
    assert.equal(defaults.terminalStatuses, undefined);
  });

  test('refuses what cannot work, naming the field', () => {
    assert.deepEqual(inputProblems(definition, {}), ['url: expected the URL to call (only a monitorOnly webhook with a statusEndpoint can do without)']);
    assert.deepEqual(inputProblems(definition, { url: 'ftp://x/y' }), ['url: expected an http:// or https:// URL']);
    assert.deepEqual(inputProblems(definition, { url: 'http://x', method: 'FETCH' }), ['method: expected an HTTP method (GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS)']);
    assert.deepEqual(inputProblems(definition, { url: 'http://x', failFastStatusCodes: [42] }), ['failFastStatusCodes.0: expected an HTTP status code (100 to 599)']);
    assert.deepEqual(inputProblems(definition, { url: 'http://x', monitorOnly: true }), ['waitForCompletion: expected true: a monitorOnly webhook only waits for completion']);
    assert.deepEqual(inputProblems(definition, { url: 'http://x', waitForCompletion: true, statusUrlResolution: 'webhookResponse' }), [
      'statusUrlJsonPath: expected the JSON path of the status URL in the response, as statusUrlResolution is webhookResponse',
    ]);
  });

  test('plans create, an optional wait, then monitor; monitorOnly skips the call', () => {
    const plan = (raw: Record<string, unknown>): string[] => plannedTasks(definition, parseInput(definition, raw));
    assert.deepEqual(plan({ url: 'http://x' }), ['createWebhook']);
    assert.deepEqual(plan({ url: 'http://x', waitForCompletion: true }), ['createWebhook', 'monitorWebhook']);
    assert.deepEqual(plan({ url: 'http://x', waitForCompletion: true, waitBeforeMonitor: 10 }), ['createWebhook', 'waitBeforeMonitor', 'monitorWebhook']);
    assert.deepEqual(plan({ monitorOnly: true, waitForCompletion: true, statusEndpoint: 'http://x/status' }), ['monitorWebhook']);
    assert.equal(definition.tasks['createWebhook']!.timeoutMs, 5 * 60 * 1000);
    assert.equal(definition.tasks['monitorWebhook']!.timeoutMs, 60 * 60 * 1000);
  });

  test('waitBeforeMonitor sleeps its seconds from the task start', async () => {
    const input = parseInput(definition, { url: 'http://x', waitForCompletion: true, waitBeforeMonitor: 10 });
    assert.deepEqual(await runTask(definition, 'waitBeforeMonitor', { input, task: { startTime: 1_000 }, now: 4_000 }), { kind: 'running', backoffMs: 7_000 });
    assert.deepEqual(await runTask(definition, 'waitBeforeMonitor', { input, task: { startTime: 1_000 }, now: 11_000 }), { kind: 'succeeded' });
  });
});

describe('createWebhook against a real HTTP server', () => {
  let server: Recorder;
  let replies: Reply[] = [];
  before(async () => {
    server = await startRecorder((_call, index) => replies[index] ?? { status: 500, body: 'no reply scripted' });
  });
  after(() => server.close());

  const start = (script: Reply[]): void => {
    replies = script;
    server.calls.length = 0;
  };
  const create = (raw: Record<string, unknown>, idempotencyKey = 'exec-1/stage-1/0/1'): Promise<TaskResult> =>
    runTask(definition, 'createWebhook', { input: parseInput(definition, { url: `${server.url}/hooks/deploy?token=s3cret`, ...raw }), idempotencyKey });

  test('sends method, custom headers, JSON payload and the idempotency key; stores the answer', async () => {
    start([{ status: 200, body: { accepted: true, id: 42 }, headers: { 'x-request-id': 'r-1' } }]);
    const result = await create({ customHeaders: { Authorization: 'Bearer abc', 'X-Tags': ['a', 'b'], 'X-Retries': 3 }, payload: { version: '1.2.3', regions: ['eu'] } });
    assert.equal(result.kind, 'succeeded');
    const [call] = server.calls;
    assert.equal(call!.method, 'POST');
    assert.equal(call!.path, '/hooks/deploy?token=s3cret');
    assert.equal(call!.headers['authorization'], 'Bearer abc');
    assert.equal(call!.headers['x-tags'], 'a, b');
    assert.equal(call!.headers['x-retries'], '3');
    assert.equal(call!.headers['content-type'], 'application/json');
    assert.equal(call!.headers['idempotency-key'], 'exec-1/stage-1/0/1');
    assert.deepEqual(JSON.parse(call!.body), { version: '1.2.3', regions: ['eu'] });
    const webhook = webhookOf(result);
    assert.equal(webhook['statusCode'], 200);
    assert.deepEqual(webhook['body'], { accepted: true, id: 42 });
    assert.equal((webhook['headers'] as Record<string, string>)['x-request-id'], 'r-1');
    assert.equal(webhook['statusEndpoint'], undefined);
  });

  test('a GET carries no body; a text answer is kept as text', async () => {
    start([{ status: 200, body: 'pong' }]);
    const result = await create({ method: 'GET', payload: { ignored: true } });
    assert.equal(server.calls[0]!.method, 'GET');
    assert.equal(server.calls[0]!.body, '');
    assert.equal(server.calls[0]!.headers['content-type'], undefined);
    assert.equal(webhookOf(result)['body'], 'pong');
  });

  test('a custom Idempotency-Key header cannot replace the task key', async () => {
    start([{ status: 204 }]);
    await create({ customHeaders: { 'idempotency-key': 'mine' } }, 'exec-9/s/2/1');
    assert.equal(server.calls[0]!.headers['idempotency-key'], 'exec-9/s/2/1');
  });

  test('5xx answers are retried every 10 s with the same key until one succeeds', async () => {
    start([{ status: 503, body: { error: 'busy' } }, { status: 502 }, { status: 201, body: { ok: true } }]);
    const first = await create({ payload: { n: 1 } });
    assert.equal(first.kind, 'running');
    assert.equal(first.kind === 'running' && first.backoffMs, 10_000);
    assert.equal(webhookOf(first)['statusCode'], 503);
    assert.match(String(webhookOf(first)['error']), /^webhook POST http:\/\/127\.0\.0\.1:\d+\/hooks\/deploy answered 503; will retry$/);
    assert.equal((await create({ payload: { n: 1 } })).kind, 'running');
    const third = await create({ payload: { n: 1 } });
    assert.equal(third.kind, 'succeeded');
    assert.deepEqual(server.calls.map((call) => call.headers['idempotency-key']), ['exec-1/stage-1/0/1', 'exec-1/stage-1/0/1', 'exec-1/stage-1/0/1']);
    assert.deepEqual(server.calls.map((call) => call.body), ['{"n":1}', '{"n":1}', '{"n":1}']);
  });

  test('retryStatusCodes are retried; other 4xx fail at once, quoting the answer', async () => {
    start([{ status: 429 }, { status: 409, body: { error: 'version already deployed' } }]);
    assert.equal((await create({})).kind, 'running');
    const conflict = await create({});
    assertTerminal(conflict, 'GNK_E_TASK_FAILED', /^webhook POST http:\/\/127\.0\.0\.1:\d+\/hooks\/deploy answered 409 Conflict: \{"error":"version already deployed"\}$/);
    assert.doesNotMatch(conflict.kind === 'terminal' ? conflict.failure.message : '', /s3cret/);
    assert.equal(webhookOf(conflict)['statusCode'], 409);
  });

  test('failFastStatusCodes fail without retrying, 504 by default', async () => {
    start([{ status: 504 }, { status: 503 }]);
    assertTerminal(await create({}), 'GNK_E_TASK_FAILED', /answered 504, which failFastStatusCodes says not to retry$/);
    assertTerminal(await create({ failFastStatusCodes: [503] }), 'GNK_E_TASK_FAILED', /answered 503, which failFastStatusCodes/);
  });

  test('an answer too slow is retried', async () => {
    start(['hang']);
    const result = await create({});
    assert.equal(result.kind, 'running');
    assert.match(String(webhookOf(result)['error']), /got no answer \(no answer within 0\.3 s\); will retry$/);
  });

  test('a refused connection is retried', async () => {
    const closed = await startRecorder(() => ({ status: 200 }));
    await closed.close();
    const input = parseInput(definition, { url: `${closed.url}/hook` });
    const result = await runTask(definition, 'createWebhook', { input });
    assert.equal(result.kind, 'running');
    assert.match(String(webhookOf(result)['error']), /got no answer \(.*ECONNREFUSED.*\); will retry$/);
  });

  test('an engine shutting down sends nothing and runs again later', async () => {
    start([{ status: 200 }]);
    const controller = new AbortController();
    controller.abort();
    const input = parseInput(definition, { url: `${server.url}/hook` });
    assert.deepEqual(await runTask(definition, 'createWebhook', { input, signal: controller.signal }), { kind: 'running', backoffMs: 10_000 });
    assert.equal(server.calls.length, 0);
  });

  describe('finding the status URL to monitor', () => {
    test('getMethod polls the webhook URL itself', async () => {
      start([{ status: 200 }]);
      const result = await create({ waitForCompletion: true });
      assert.equal(webhookOf(result)['statusEndpoint'], `${server.url}/hooks/deploy?token=s3cret`);
    });

    test('locationHeader resolves a relative Location against the webhook URL', async () => {
      start([{ status: 202, headers: { location: '/jobs/17' } }]);
      const result = await create({ waitForCompletion: true, statusUrlResolution: 'locationHeader' });
      assert.equal(webhookOf(result)['statusEndpoint'], `${server.url}/jobs/17`);
    });

    test('locationHeader without a Location header fails', async () => {
      start([{ status: 202 }]);
      const result = await create({ waitForCompletion: true, statusUrlResolution: 'locationHeader' });
      assertTerminal(result, 'GNK_E_TASK_FAILED', /its status URL cannot be found: the answer has no Location header/);
    });

    test('webhookResponse reads the URL at statusUrlJsonPath', async () => {
      start([{ status: 200, body: { links: [{ status: 'https://ci.example.com/jobs/5' }] } }, { status: 200, body: { links: [] } }]);
      const raw = { waitForCompletion: true, statusUrlResolution: 'webhookResponse', statusUrlJsonPath: '$.links[0].status' };
      assert.equal(webhookOf(await create(raw))['statusEndpoint'], 'https://ci.example.com/jobs/5');
      assertTerminal(await create(raw), 'GNK_E_TASK_FAILED', /statusUrlJsonPath \$\.links\[0\]\.status found nothing in the answer: `\$\.links` has 0 items/);
    });
  });
});


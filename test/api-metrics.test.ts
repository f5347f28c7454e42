import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { validatePipeline } from '../src/core/pipeline/validate.js';
import { startApiServer, type ApiServer } from './support/api-server.js';

let server: ApiServer;
let other: ApiServer;

before(async () => {
  [server, other] = await Promise.all([startApiServer({ insecureNoAuth: true }), startApiServer({ insecureNoAuth: true })]);
});

after(async () => {
  await Promise.all([server.stop(), other.stop()]);
});

/** The samples of a Prometheus text exposition, keyed `name{label="value",…}` as printed. */
function parseExposition(text: string): Map<string, number> {
  const samples = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*(?:\{.*\})?) (\S+)$/.exec(line);
    assert.ok(match, `a well-formed sample line: ${line}`);
    samples.set(match[1]!, Number(match[2]));
  }
  return samples;
}

async function scrape(target: ApiServer = server): Promise<Map<string, number>> {
  const response = await fetch(`${target.url}/metrics`);
  assert.equal(response.status, 200);
  assert.match(response.headers.get('content-type') ?? '', /^text\/plain; version=0\.0\.4/);
  return parseExposition(await response.text());
}

const sample = (samples: Map<string, number>, key: string): number => {
  const value = samples.get(key);
  assert.notEqual(value, undefined, `${key} is exported`);
  return value!;
};

async function runWaits(application: string): Promise<string> {
  const validation = validatePipeline({ application, name: 'waits', stages: [{ refId: '1', type: 'wait', waitTime: 0.05 }, { refId: '2', type: 'wait', waitTime: 0.05, requisiteStageRefIds: ['1'] }] });
  if (!validation.ok) throw new Error(JSON.stringify(validation.errors));
  return server.gennaker.engine.runPipeline(validation.pipeline, { type: 'manual', user: 'test', parameters: {} });
}

test('/metrics is public, in the Prometheus text format, with the platform’s metrics and the process defaults', async () => {
  const samples = await scrape();
  for (const key of [
    'gennaker_executions{status="RUNNING"}',
    'gennaker_executions{status="SUCCEEDED"}',
    'gennaker_queue_lag_seconds',
    'gennaker_engine_commits_total',
    'gennaker_engine_commit_batches_total',
    'gennaker_engine_messages_held',
    'gennaker_inventory_server_groups',
    'gennaker_inventory_load_balancers',
    'gennaker_live_event_streams',
    'process_cpu_user_seconds_total',
    'process_resident_memory_bytes',
    'nodejs_eventloop_lag_seconds',
  ]) {
    sample(samples, key);
  }
});

test('the numbers move after a run: executions by status, transitions, commits, and the queue drains', async () => {
  const before = await scrape();
  const executionId = await runWaits('metered');
  await server.gennaker.engine.whenComplete(executionId);
  const afterRun = await scrape();
  assert.equal(sample(afterRun, 'gennaker_executions{status="SUCCEEDED"}'), sample(before, 'gennaker_executions{status="SUCCEEDED"}') + 1);
  const transitions = (samples: Map<string, number>, kind: string): number => samples.get(`gennaker_engine_transitions_total{kind="${kind}"}`) ?? 0;
  // RUNNING and SUCCEEDED of the execution, of each of the two stages and of each stage's one task.
  assert.equal(transitions(afterRun, 'execution') - transitions(before, 'execution'), 2);
  assert.equal(transitions(afterRun, 'stage') - transitions(before, 'stage'), 4);
  assert.equal(transitions(afterRun, 'task') - transitions(before, 'task'), 4);
  assert.ok(sample(afterRun, 'gennaker_engine_commits_total') > sample(before, 'gennaker_engine_commits_total'));
  assert.ok(sample(afterRun, 'gennaker_engine_commit_batches_total') > sample(before, 'gennaker_engine_commit_batches_total'));
  assert.equal(sample(afterRun, 'gennaker_queue_lag_seconds'), 0, 'nothing is due once the run is over');
  assert.equal(sample(afterRun, 'gennaker_engine_messages_held'), 0);
});

test('HTTP request durations are counted by method, route template and status', async () => {
  const key = (route: string, status: number): string => `gennaker_http_request_duration_seconds_count{method="GET",route="${route}",status="${status}"}`;
  const before = await scrape();
  for (let i = 0; i < 3; i++) assert.equal((await server.request('GET', '/health')).status, 200);
  assert.equal((await server.request('GET', '/no/such/route')).status, 404);
  const afterRequests = await scrape();
  assert.equal(sample(afterRequests, key('/health', 200)) - (before.get(key('/health', 200)) ?? 0), 3);
  assert.equal(sample(afterRequests, key('unmatched', 404)) - (before.get(key('unmatched', 404)) ?? 0), 1);
  assert.ok(sample(afterRequests, `gennaker_http_request_duration_seconds_bucket{le="+Inf",method="GET",route="/health",status="200"}`) >= 3);
});

test('two servers in one process keep separate figures', async () => {
  const executionId = await runWaits('separate');
  await server.gennaker.engine.whenComplete(executionId);
  const [mine, theirs] = await Promise.all([scrape(server), scrape(other)]);
  assert.ok(sample(mine, 'gennaker_executions{status="SUCCEEDED"}') >= 1);
  assert.equal(sample(theirs, 'gennaker_executions{status="SUCCEEDED"}'), 0);
  assert.equal(theirs.get('gennaker_engine_transitions_total{kind="execution"}') ?? 0, 0);
});

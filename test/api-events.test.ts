import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { after, before, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import type { AccessControl } from '../src/api/access.js';
import { defaultAuthSettings } from '../src/api/auth/settings.js';
import { buildApi, type ApiApp } from '../src/api/server.js';
import type { Principal } from '../src/core/auth/model.js';
import { validatePipeline } from '../src/core/pipeline/validate.js';
import type { ServerSentEvent } from '../src/providers/local/server-sent-events.js';
import { createLogger } from '../src/log/logger.js';
import { startApiServer, type ApiServer } from './support/api-server.js';
import { openEventStream, type EventStreamClient } from './support/event-stream.js';

let server: ApiServer;

before(async () => {
  server = await startApiServer({ insecureNoAuth: true });
});

after(async () => {
  await server.stop();
});

interface EventData {
  readonly application: string;
  readonly executionId?: string;
  readonly refId?: string;
  readonly status?: string;
}

const dataOf = (event: ServerSentEvent): EventData => JSON.parse(event.data) as EventData;

/** Starts a pipeline of `count` wait stages, one after another, on the server's own engine. */
async function runWaits(application: string, count: number, waitTime = 0.05): Promise<string> {
  const stages = Array.from({ length: count }, (_, index) => ({
    refId: String(index + 1),
    type: 'wait',
    name: `wait ${index + 1}`,
    waitTime,
    requisiteStageRefIds: index === 0 ? [] : [String(index)],
  }));
  const validation = validatePipeline({ application, name: 'waits', stages });
  if (!validation.ok) throw new Error(JSON.stringify(validation.errors));
  return server.gennaker.engine.runPipeline(validation.pipeline, { type: 'manual', user: 'test', parameters: {} });
}

const ofExecution = (executionId: string) => (event: ServerSentEvent) => (event.event === 'execution' || event.event === 'stage') && dataOf(event).executionId === executionId;
const finished = (executionId: string) => (event: ServerSentEvent) => event.event === 'execution' && dataOf(event).executionId === executionId && dataOf(event).status === 'SUCCEEDED';
const seqOf = (event: ServerSentEvent): number => Number(event.id!.split('.')[1]);

/** The lifecycle a pipeline of `count` sequential wait stages publishes, as `type refId status`. */
function expectedLifecycle(count: number): string[] {
  const stages = Array.from({ length: count }, (_, index) => [`stage ${index + 1} RUNNING`, `stage ${index + 1} SUCCEEDED`]).flat();
  return ['execution - RUNNING', ...stages, 'execution - SUCCEEDED'];
}

const lifecycle = (events: readonly ServerSentEvent[]): string[] => events.map((event) => `${event.event} ${dataOf(event).refId ?? '-'} ${dataOf(event).status}`);

async function streamCount(): Promise<number> {
  const text = (await server.request('GET', '/metrics')).body as string;
  return Number(/^gennaker_live_event_streams (\d+)$/m.exec(text)?.[1]);
}

/** Waits, bounded, until the server has noticed every disconnect. */
async function untilStreams(count: number): Promise<void> {
  for (let i = 0; i < 200 && (await streamCount()) !== count; i++) await sleep(20);
  assert.equal(await streamCount(), count, 'open streams on the server');
}

test('a pipeline of wait stages appears on the stream in order, with ids, types and the application', async () => {
  const stream = await openEventStream(`${server.url}/api/events`);
  try {
    assert.equal(stream.status, 200);
    assert.match(stream.contentType ?? '', /^text\/event-stream/);
    const executionId = await runWaits('ordered', 3);
    await stream.waitFor(finished(executionId), 'the execution succeeded');
    const mine = stream.events.filter(ofExecution(executionId));
    assert.deepEqual(lifecycle(mine), expectedLifecycle(3));
    assert.ok(mine.every((event) => dataOf(event).application === 'ordered'));
    const seqs = stream.events.map(seqOf);
    assert.deepEqual(seqs, [...seqs].sort((a, b) => a - b), 'ids increase');
    assert.equal(new Set(stream.events.map((event) => event.id)).size, stream.events.length, 'ids are unique');
  } finally {
    stream.close();
  }
});

test('a client that reconnects with the last id it saw gets exactly the events it missed', async () => {
  const witness = await openEventStream(`${server.url}/api/events?application=resumed`);
  const client = await openEventStream(`${server.url}/api/events?application=resumed`);
  try {
    const executionId = await runWaits('resumed', 4);
    const firstStageDone = (event: ServerSentEvent): boolean => event.event === 'stage' && dataOf(event).refId === '1' && dataOf(event).status === 'SUCCEEDED';
    await client.waitFor(firstStageDone, 'stage 1 succeeded');
    client.close();
    const lastSeen = client.events.at(-1)!;
    await witness.waitFor(finished(executionId), 'the execution succeeded');
    const missed = witness.events.slice(witness.events.findIndex((event) => event.id === lastSeen.id) + 1);
    assert.ok(missed.length >= 6, `stages 2–4 and the end were missed: ${missed.length}`);

    const resumed = await openEventStream(`${server.url}/api/events?application=resumed`, { 'last-event-id': lastSeen.id! });
    try {
      await resumed.waitFor((event) => event.id === missed.at(-1)!.id, 'the last missed event');
      assert.deepEqual(resumed.events, missed);
      assert.deepEqual(lifecycle([...client.events.filter(ofExecution(executionId)), ...resumed.events]), expectedLifecycle(4));
    } finally {
      resumed.close();
    }
    // The query parameter works as the header does (for clients that cannot set headers).
    const byQuery = await openEventStream(`${server.url}/api/events?application=resumed&lastEventId=${encodeURIComponent(lastSeen.id!)}`);
    try {
      await byQuery.waitFor((event) => event.id === missed.at(-1)!.id, 'the last missed event');
      assert.deepEqual(byQuery.events, missed);
    } finally {
      byQuery.close();
    }
  } finally {
    witness.close();
    client.close();
  }
});

test('an id from another boot, or a malformed one, earns a reset carrying the newest id; live events follow', async () => {
  const stream = await openEventStream(`${server.url}/api/events?application=afterreset`, { 'last-event-id': 'someearlierboot.42' });
  try {
    const reset = await stream.waitFor((event) => event.event === 'reset', 'a reset');
    const body = JSON.parse(reset.data) as { reason: string; latestId: string };
    assert.equal(body.reason, 'otherBoot');
    assert.equal(reset.id, body.latestId);
    const executionId = await runWaits('afterreset', 1);
    await stream.waitFor(finished(executionId), 'live events after the reset');
    assert.ok(stream.events.slice(1).every((event) => seqOf(event) > seqOf(reset)));
  } finally {
    stream.close();
  }
  const malformed = await openEventStream(`${server.url}/api/events?lastEventId=not-an-id`);
  try {
    const reset = await malformed.waitFor((event) => event.event === 'reset', 'a reset');
    assert.equal((JSON.parse(reset.data) as { reason: string }).reason, 'malformedId');
  } finally {
    malformed.close();
  }
});

test('?application= filters: events of other applications are not sent', async () => {
  const filtered = await openEventStream(`${server.url}/api/events?application=alpha,gamma`);
  const all = await openEventStream(`${server.url}/api/events`);
  try {
    const [alpha, beta] = await Promise.all([runWaits('alpha', 2), runWaits('beta', 2)]);
    await all.waitFor(finished(beta), 'beta finished');
    await all.waitFor(finished(alpha), 'alpha finished');
    await filtered.waitFor(finished(alpha), 'alpha finished');
    assert.ok(all.events.some(ofExecution(beta)), 'the unfiltered stream saw beta');
    assert.deepEqual(new Set(filtered.events.map((event) => dataOf(event).application)), new Set(['alpha']));
    assert.deepEqual(lifecycle(filtered.events.filter(ofExecution(alpha))), expectedLifecycle(2));
  } finally {
    filtered.close();
    all.close();
  }
});

test('closing streams removes their listeners: none leak on the server, the engine or the inventory', async () => {
  await untilStreams(0);
  const engineListeners = server.gennaker.engine.events.listenerCount('event');
  const inventoryListeners = server.gennaker.inventory.events.listenerCount('change');
  const streams: EventStreamClient[] = [];
  for (let i = 0; i < 5; i++) streams.push(await openEventStream(`${server.url}/api/events?application=leak`));
  await untilStreams(5);
  // One listener per source however many streams are open.
  assert.equal(server.gennaker.engine.events.listenerCount('event'), engineListeners);
  assert.equal(server.gennaker.inventory.events.listenerCount('change'), inventoryListeners);
  for (const stream of streams) stream.close();
  await untilStreams(0);
  const executionId = await runWaits('leak', 1);
  await server.gennaker.engine.whenComplete(executionId);
  assert.equal(server.gennaker.engine.events.listenerCount('event'), engineListeners);
});

test('a caller sees only the applications it may READ, whatever it asks for', async () => {
  const reader: Principal = { name: 'rita', kind: 'user', roles: ['dev'], admin: false, via: 'token' };
  const access: AccessControl = {
    enabled: true,
    authenticate: (request) => Promise.resolve(request.headers.authorization === 'Bearer rita' ? reader : undefined),
    canApplication: (_principal, application, action) => Promise.resolve(action === 'READ' && application === 'readable'),
    canAccount: () => false,
  };
  const { gennaker } = server;
  const app: ApiApp = await buildApi({
    store: gennaker.store,
    version: 'test',
    logger: createLogger('silent'),
    inventory: gennaker.inventory,
    engine: gennaker.engine,
    providers: gennaker.providers,
    access,
    audit: { record: () => Promise.resolve() },
    auth: defaultAuthSettings,
  });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const url = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  try {
    const anonymous = await fetch(`${url}/api/events`);
    assert.equal(anonymous.status, 401);
    const asked = await openEventStream(`${url}/api/events?application=readable,secret`, { authorization: 'Bearer rita' });
    const unfiltered = await openEventStream(`${url}/api/events`, { authorization: 'Bearer rita' });
    const admin = await openEventStream(`${server.url}/api/events?application=readable,secret`);
    try {
      const [readable, secret] = await Promise.all([runWaits('readable', 1), runWaits('secret', 1)]);
      await admin.waitFor(finished(secret), 'the administrator saw secret');
      await admin.waitFor(finished(readable), 'the administrator saw readable');
      await asked.waitFor(finished(readable), 'readable finished');
      await unfiltered.waitFor(finished(readable), 'readable finished');
      for (const stream of [asked, unfiltered]) {
        assert.deepEqual(new Set(stream.events.map((event) => dataOf(event).application)), new Set(['readable']));
      }
    } finally {
      asked.close();
      unfiltered.close();
      admin.close();
    }
  } finally {
    await app.close();
  }
});

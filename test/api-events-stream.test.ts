import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import type { AddressInfo } from 'node:net';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import Fastify from 'fastify';
import { serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import { installAccessControl, openAccessControl } from '../src/api/access.js';
import { installErrorHandling } from '../src/api/http-errors.js';
import { LiveEventHub } from '../src/api/live-events.js';
import { registerEventRoutes } from '../src/api/routes/events.js';
import type { ResourceChange, ServerGroup } from '../src/core/cloud/index.js';
import type { EngineEvent } from '../src/core/execution/index.js';
import { openEventStream } from './support/event-stream.js';

/**
 * The events route on its own, fed by plain emitters standing in for the engine and the inventory: what
 * needs control over timing or the journal's size (heartbeats, eviction, shutdown). Real HTTP all the same.
 */
async function eventServer(options: { heartbeatMs?: number; capacity?: number } = {}) {
  const engine = new EventEmitter<{ event: [EngineEvent] }>();
  const inventory = new EventEmitter<{ change: [ResourceChange] }>();
  const hub = new LiveEventHub({ engine, inventory }, options.capacity);
  hub.start();
  const app = Fastify().withTypeProvider<ZodTypeProvider>();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  installErrorHandling(app);
  installAccessControl(app, openAccessControl);
  registerEventRoutes(app, { hub, access: openAccessControl, heartbeatMs: options.heartbeatMs ?? 60_000 });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const url = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}/api/events`;
  return { engine, inventory, hub, app, url };
}

const group: ServerGroup = {
  account: 'local',
  region: 'us-east',
  name: 'shop-web-v003',
  cluster: 'shop-web',
  application: 'shop',
  capacity: { min: 1, max: 1, desired: 1 },
  enabled: true,
  launch: {
    artifact: { name: 'shop', version: '3', location: '/srv/shop' },
    command: ['node', 'server.js'],
    env: {},
    healthCheck: { path: '/health', intervalMs: 100, timeoutMs: 100, healthyThreshold: 1, unhealthyThreshold: 1 },
  },
  loadBalancers: ['shop-frontend'],
  instances: [{ id: 'i-1', serverGroup: 'shop-web-v003', health: 'Up', address: '127.0.0.1:1', launchedAt: 1 }],
  createdAt: 1,
};

test('an idle stream receives heartbeat comments, which clients ignore', async () => {
  const server = await eventServer({ heartbeatMs: 30 });
  const stream = await openEventStream(server.url);
  try {
    const heartbeats = (): number => stream.raw().split(': keep-alive\n\n').length - 1;
    for (let i = 0; i < 200 && heartbeats() < 4; i++) await sleep(20);
    assert.ok(heartbeats() >= 4, `heartbeats: ${heartbeats()}`);
    assert.deepEqual(stream.events, []);
  } finally {
    stream.close();
    await server.app.close();
  }
});

test('inventory changes arrive as serverGroup / loadBalancer events with their application; instances inside their group', async () => {
  const server = await eventServer();
  const stream = await openEventStream(`${server.url}?application=shop`);
  try {
    server.inventory.emit('change', { kind: 'serverGroupUpserted', serverGroup: { ...group, application: 'other', name: 'other-v001', cluster: 'other' } });
    server.inventory.emit('change', { kind: 'serverGroupUpserted', serverGroup: group });
    server.inventory.emit('change', { kind: 'loadBalancerUpserted', loadBalancer: { account: 'local', region: 'us-east', name: 'shop-frontend', address: '127.0.0.1:2' } });
    server.inventory.emit('change', { kind: 'serverGroupRemoved', account: 'local', region: 'us-east', name: 'shop-web-v003' });
    server.inventory.emit('change', { kind: 'loadBalancerRemoved', account: 'local', region: 'us-east', name: 'shop-frontend' });
    await stream.waitFor((event) => event.event === 'loadBalancerRemoved', 'the balancer removed');
    assert.deepEqual(
      stream.events.map((event) => event.event),
      ['serverGroup', 'loadBalancer', 'serverGroupRemoved', 'loadBalancerRemoved'],
    );
    assert.deepEqual(JSON.parse(stream.events[0]!.data), { type: 'serverGroup', application: 'shop', serverGroup: group });
    assert.deepEqual(JSON.parse(stream.events[2]!.data), { type: 'serverGroupRemoved', application: 'shop', account: 'local', region: 'us-east', name: 'shop-web-v003' });
    // The skipped event of `other` still took an id: ids are the journal's, not the stream's.
    assert.deepEqual(
      stream.events.map((event) => Number(event.id!.split('.')[1])),
      [2, 3, 4, 5],
    );
  } finally {
    stream.close();
    await server.app.close();
  }
});

test('a client behind the journal’s reach is told to reset; one within it is replayed', async () => {
  const server = await eventServer({ capacity: 3 });
  try {
    const emit = (status: 'RUNNING' | 'SUCCEEDED'): void => {
      server.engine.emit('event', { kind: 'execution', application: 'a', executionId: 'e', status, at: 1 });
    };
    const first = await openEventStream(server.url);
    emit('RUNNING');
    const seen = await first.waitFor(() => true, 'the first event');
    first.close();
    for (let i = 0; i < 4; i++) emit('SUCCEEDED');
    const late = await openEventStream(server.url, { 'last-event-id': seen.id! });
    try {
      const reset = await late.waitFor((event) => event.event === 'reset', 'a reset');
      assert.deepEqual(JSON.parse(reset.data), { reason: 'tooOld', latestId: reset.id });
      assert.equal(reset.id!.split('.')[1], '5');
    } finally {
      late.close();
    }
    // Retained now: 3, 4 and 5; a client that saw 2 missed only those.
    const timely = await openEventStream(server.url, { 'last-event-id': nextId(seen.id!) });
    try {
      await timely.waitFor((event) => event.id!.endsWith('.5'), 'the newest event');
      assert.deepEqual(
        timely.events.map((event) => event.id!.split('.')[1]),
        ['3', '4', '5'],
      );
    } finally {
      timely.close();
    }
  } finally {
    await server.app.close();
  }
});

/** The id of the event after `id`. */
function nextId(id: string): string {
  const [boot, seq] = id.split('.');
  return `${boot}.${Number(seq) + 1}`;
}

test('closing the server ends open streams and unsubscribes them', async () => {
  const server = await eventServer();
  const streams = await Promise.all([openEventStream(server.url), openEventStream(`${server.url}?application=x`)]);
  for (let i = 0; i < 100 && server.hub.subscriberCount < 2; i++) await sleep(10);
  assert.equal(server.hub.subscriberCount, 2);
  await server.app.close();
  await Promise.all(streams.map((stream) => stream.ended));
  assert.equal(server.hub.subscriberCount, 0);
  server.hub.stop();
  assert.equal(server.engine.listenerCount('event'), 0);
  assert.equal(server.inventory.listenerCount('change'), 0);
});

test('a client that stops reading is cut off once too much is waiting for it, and unsubscribed', async () => {
  const server = await eventServer();
  const controller = new AbortController();
  try {
    // Headers only: the body is never read, so everything sent piles up in buffers.
    const response = await fetch(server.url, { signal: controller.signal });
    assert.equal(response.status, 200);
    for (let i = 0; i < 100 && server.hub.subscriberCount < 1; i++) await sleep(10);
    assert.equal(server.hub.subscriberCount, 1);
    const bulky = { ...group, launch: { ...group.launch, env: { PADDING: 'x'.repeat(4096) } } };
    for (let i = 0; i < 5000 && server.hub.subscriberCount > 0; i++) {
      server.inventory.emit('change', { kind: 'serverGroupUpserted', serverGroup: bulky });
      if (i % 100 === 99) await sleep(1);
    }
    for (let i = 0; i < 200 && server.hub.subscriberCount > 0; i++) await sleep(10);
    assert.equal(server.hub.subscriberCount, 0, 'the stalled stream was closed');
  } finally {
    controller.abort();
    await server.app.close();
  }
});

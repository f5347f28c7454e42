import { defaultAuthSettings } from '../src/api/auth/settings.js';
import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { z } from 'zod';
import type { AccessControl } from '../src/api/access.js';
import { auditChange } from '../src/api/audit-hook.js';
import { buildApi, type ApiApp } from '../src/api/server.js';
import { AuditTrail } from '../src/app/audit-trail.js';
import { AuditWebhookSink, type AuditWebhookOptions } from '../src/app/audit-webhook.js';
import type { AuditEvent } from '../src/core/audit/chain.js';
import type { Principal } from '../src/core/auth/model.js';
import { GennakerError } from '../src/core/errors.js';
import { Secret } from '../src/core/secret.js';
import type { Engine } from '../src/engine/engine.js';
import type { Inventory } from '../src/inventory/inventory.js';
import { createLogger } from '../src/log/logger.js';
import type { ProviderRegistry } from '../src/providers/registry.js';
import { openStore } from '../src/store/open.js';
import type { Store } from '../src/store/store.js';
import { apiRequest } from './support/api-server.js';
import { freePort } from './support/free-port.js';

const logger = createLogger('silent');
const root: Principal = { name: 'root', kind: 'user', roles: ['admin'], admin: true, via: 'token' };
const dev: Principal = { name: 'dev', kind: 'user', roles: ['dev'], admin: false, via: 'token' };

/** Tokens name the caller; `dev` may read application shop only. */
const tokenAccess: AccessControl = {
  enabled: true,
  authenticate: async (request) => ({ 'Bearer root': root, 'Bearer dev': dev })[request.headers.authorization ?? ''],
  canApplication: async (principal, application, action) => principal.admin || (application === 'shop' && action === 'READ'),
  canAccount: (principal) => principal.admin,
};

interface AuditedApi {
  readonly url: string;
  readonly store: Store;
  readonly trail: AuditTrail;
  stop(): Promise<void>;
}

/**
 * The real API (buildApi: access control, the audit hook, GET /api/audit) over a real SQLite store,
 * with stand-in write routes of the shapes real routes have, under paths no real route uses (real write
 * routes need a real engine, and none carries a secret or sets before/after the way these do).
 */
async function startAuditedApi(dataDir: string, webhook?: AuditWebhookOptions): Promise<AuditedApi> {
  const store = await openStore({ dataDir });
  const trail = new AuditTrail(store);
  const sink = webhook && new AuditWebhookSink(store, webhook, logger);
  if (sink) {
    trail.onAppended(() => sink.notify());
    sink.start();
  }
  const app = await buildApi({
    store,
    version: 'test',
    logger,
    // Only their event emitters are used (the live event stream subscribes to them).
    inventory: { events: new EventEmitter() } as unknown as Inventory,
    engine: { events: new EventEmitter() } as unknown as Engine,
    providers: {} as ProviderRegistry,
    access: tokenAccess,
    audit: trail,
    auth: defaultAuthSettings,
  });
  registerWriteRoutes(app);
  const url = await app.listen({ host: '127.0.0.1', port: 0 });
  return {
    url,
    store,
    trail,
    stop: async () => {
      await app.close();
      await trail.drain();
      await sink?.stop();
      await store.close();
    },
  };
}

function registerWriteRoutes(app: ApiApp): void {
  const authenticated = { access: { kind: 'authenticated' as const } };
  const widgetParams = z.object({ application: z.string(), widget: z.string() });
  app.post(
    '/api/widgets',
    { config: authenticated, schema: { body: z.strictObject({ name: z.string(), application: z.string(), webhookToken: z.string().optional() }) } },
    async (request, reply) => reply.status(201).send({ name: request.body.name }),
  );
  app.put('/api/applications/:application/widgets/:widget', { config: authenticated, schema: { params: widgetParams, body: z.strictObject({ description: z.string() }) } }, async (request) => {
    auditChange(request, { before: { description: 'old' }, after: { description: request.body.description } });
    return { name: request.params.widget };
  });
  app.delete('/api/widgets/:widget', { config: authenticated }, async () => {
    throw new GennakerError('GNK_E_NOT_FOUND', 'no such widget');
  });
  app.post('/api/executions/:id/annotate', { config: authenticated }, async (_request, reply) => reply.status(202).send({}));
  app.post('/api/session', { config: { access: { kind: 'public' }, audit: false } }, async () => ({ ok: true }));
  app.post(
    '/api/things',
    { config: { ...authenticated, audit: { action: 'thing.poke', target: () => ({ type: 'thing', id: 't1' }) } } },
    async () => ({ poked: true }),
  );
}

async function auditPage(url: string, query: string, token = 'root'): Promise<{ events: AuditEvent[]; next?: number }> {
  const response = await apiRequest(url, 'GET', `/api/audit${query}`, { headers: { authorization: `Bearer ${token}` } });
  assert.equal(response.status, 200, JSON.stringify(response.body));
  return response.body as { events: AuditEvent[]; next?: number };
}

describe('the audit hook and GET /api/audit', () => {
  let dataDir: string;
  let api: AuditedApi;
  const asRoot = { headers: { authorization: 'Bearer root' } };

  before(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'gennaker-audit-api-'));
    api = await startAuditedApi(dataDir);
  });
  after(async () => {
    await api.stop();
    await rm(dataDir, { recursive: true, force: true });
  });

  test('a successful write is durable before its response, with actor, action, target, redacted body and before/after', async () => {
    const created = await apiRequest(api.url, 'POST', '/api/widgets', { ...asRoot, body: { name: 'w0', application: 'shop', webhookToken: 'hunter2' } });
    assert.equal(created.status, 201);
    // Read straight from the store, without waiting: the hook wrote before the response left.
    const [event] = await api.store.audit.list({ limit: 10 });
    assert.deepEqual(
      { ...event!, time: 0, hash: '' },
      {
        seq: 1,
        time: 0,
        actor: 'root',
        action: 'widget.create',
        target: { type: 'widget', id: 'w0' },
        application: 'shop',
        summary: { request: 'POST /api/widgets', status: 201, body: { name: 'w0', application: 'shop', webhookToken: '[redacted]' } },
        executionId: null,
        prevHash: '0'.repeat(64),
        hash: '',
      },
    );

    const updated = await apiRequest(api.url, 'PUT', '/api/applications/billing/widgets/w1', { ...asRoot, body: { description: 'new' } });
    assert.equal(updated.status, 200);
    const annotated = await apiRequest(api.url, 'POST', '/api/executions/e-42/annotate', asRoot);
    assert.equal(annotated.status, 202);
    const poked = await apiRequest(api.url, 'POST', '/api/things', { headers: { authorization: 'Bearer dev' } });
    assert.equal(poked.status, 200);
    const events = await api.store.audit.list({ afterSeq: 1, limit: 10 });
    assert.deepEqual(
      events.map(({ actor, action, target, application, executionId }) => ({ actor, action, target, application, executionId })),
      [
        { actor: 'root', action: 'application.widget.update', target: { type: 'widget', id: 'w1' }, application: 'billing', executionId: null },
        { actor: 'root', action: 'execution.annotate', target: { type: 'execution', id: 'e-42' }, application: null, executionId: 'e-42' },
        { actor: 'dev', action: 'thing.poke', target: { type: 'thing', id: 't1' }, application: null, executionId: null },
      ],
    );
    assert.deepEqual(events[0]!.summary, { request: 'PUT /api/applications/:application/widgets/:widget', status: 200, body: { description: 'new' }, before: { description: 'old' }, after: { description: 'new' } });
  });

  test('reads, refused and failed writes, and routes that record themselves leave no event', async () => {
    const head = await api.store.audit.head();
    assert.equal((await apiRequest(api.url, 'GET', '/api/audit', asRoot)).status, 200);
    assert.equal((await apiRequest(api.url, 'POST', '/api/widgets', { ...asRoot, body: { name: 'x', application: 'y', extra: 1 } })).status, 400);
    assert.equal((await apiRequest(api.url, 'POST', '/api/widgets', { body: { name: 'x', application: 'y' } })).status, 401);
    assert.equal((await apiRequest(api.url, 'DELETE', '/api/widgets/w0', asRoot)).status, 404);
    assert.equal((await apiRequest(api.url, 'POST', '/api/nowhere', asRoot)).status, 404);
    assert.equal((await apiRequest(api.url, 'POST', '/api/session')).status, 200);
    assert.deepEqual(await api.store.audit.head(), head);
  });

  test('administrators see every event; others only those of applications they may read', async () => {
    const all = await auditPage(api.url, '');
    assert.deepEqual(
      all.events.map((event) => event.seq),
      [1, 2, 3, 4],
    );
    const mine = await auditPage(api.url, '', 'dev');
    assert.deepEqual(
      mine.events.map((event) => [event.seq, event.application]),
      [[1, 'shop']],
    );
    assert.deepEqual((await auditPage(api.url, '?application=billing', 'dev')).events, []);
    assert.equal((await apiRequest(api.url, 'GET', '/api/audit')).status, 401);
  });

  test('filters and pages in seq order, with a limit of at most 500', async () => {
    assert.deepEqual(
      (await auditPage(api.url, '?actor=dev')).events.map((event) => event.action),
      ['thing.poke'],
    );
    assert.deepEqual(
      (await auditPage(api.url, '?action=application.widget.update')).events.map((event) => event.target.id),
      ['w1'],
    );
    assert.deepEqual(
      (await auditPage(api.url, '?executionId=e-42')).events.map((event) => event.seq),
      [3],
    );
    assert.deepEqual(
      (await auditPage(api.url, '?application=shop')).events.map((event) => event.seq),
      [1],
    );
    const first = await auditPage(api.url, '?limit=3');
    assert.deepEqual([first.events.map((event) => event.seq), first.next], [[1, 2, 3], 3]);
    const second = await auditPage(api.url, `?limit=3&since=${first.next}`);
    assert.deepEqual([second.events.map((event) => event.seq), second.next], [[4], undefined]);
    const tooMany = await apiRequest(api.url, 'GET', '/api/audit?limit=501', asRoot);
    assert.equal(tooMany.status, 400);
    assert.equal((tooMany.body as { error: { code: string; details: { path: string }[] } }).error.details[0]?.path, 'querystring.limit');
    assert.equal((await apiRequest(api.url, 'GET', '/api/audit?colour=red', asRoot)).status, 400);
  });
});

describe('an audit trail that cannot write', () => {
  test('turns the success of a write into an error, so no change is reported done unrecorded', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'gennaker-audit-fail-'));
    const api = await startAuditedApi(dataDir);
    try {
      await api.store.db.schema.dropTable('audit_events').execute();
      const response = await apiRequest(api.url, 'POST', '/api/widgets', { headers: { authorization: 'Bearer root' }, body: { name: 'w0', application: 'shop' } });
      assert.equal(response.status, 500);
      assert.deepEqual(response.body, { error: { code: 'GNK_E_INTERNAL', message: 'Unexpected internal error', details: [] } });
    } finally {
      await api.stop();
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});

/** An HTTP receiver that answers 503 to its first `failures` deliveries, then accepts, resolving `until` once it holds every seq up to a number. */
class Receiver {
  readonly deliveries: AuditEvent[] = [];
  readonly authorizations = new Set<string | undefined>();
  #failuresLeft: number;
  #server: Server | undefined;
  #waiters: { seq: number; resolve: () => void }[] = [];

  constructor(failures: number) {
    this.#failuresLeft = failures;
  }

  async listen(port: number): Promise<void> {
    this.#server = createServer((request, response) => void this.#receive(request).then((status) => response.writeHead(status).end()));
    await new Promise<void>((resolve) => this.#server!.listen(port, '127.0.0.1', resolve));
  }

  async #receive(request: IncomingMessage): Promise<number> {
    let text = '';
    for await (const chunk of request) text += String(chunk);
    this.authorizations.add(request.headers.authorization);
    if (this.#failuresLeft > 0) {
      this.#failuresLeft--;
      return 503;
    }
    this.deliveries.push(JSON.parse(text) as AuditEvent);
    for (const waiter of this.#waiters.filter((candidate) => this.#holdsUpTo(candidate.seq))) waiter.resolve();
    return 204;
  }

  #holdsUpTo(seq: number): boolean {
    const seen = new Set(this.deliveries.map((event) => event.seq));
    return Array.from({ length: seq }, (_, index) => index + 1).every((wanted) => seen.has(wanted));
  }

  until(seq: number): Promise<void> {
    return this.#holdsUpTo(seq) ? Promise.resolve() : new Promise((resolve) => this.#waiters.push({ seq, resolve }));
  }

  /** Deliveries deduplicated by seq (delivery is at least once), in arrival order. */
  distinct(): AuditEvent[] {
    const seen = new Set<number>();
    return this.deliveries.filter((event) => !seen.has(event.seq) && seen.add(event.seq));
  }

  close(): Promise<void> {
    return new Promise((resolve) => (this.#server ? this.#server.close(() => resolve()) : resolve()));
  }
}

describe('the audit webhook', () => {
  test('every event arrives in order while writes never wait for the receiver, and a restart resumes from the cursor', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'gennaker-audit-webhook-'));
    const port = await freePort();
    const receiver = new Receiver(3);
    const webhook: AuditWebhookOptions = { url: `http://127.0.0.1:${port}/audit`, headers: { authorization: new Secret('Bearer hook-secret') }, timeoutMs: 2_000, minRetryMs: 20, maxRetryMs: 200 };
    let api = await startAuditedApi(dataDir, webhook);
    try {
      // Nothing listens yet: deliveries are refused, and writes still succeed.
      for (let index = 0; index < 5; index++) {
        const response = await apiRequest(api.url, 'POST', '/api/widgets', { headers: { authorization: 'Bearer root' }, body: { name: `w${index}`, application: `app${index}` } });
        assert.equal(response.status, 201);
      }
      assert.equal(receiver.deliveries.length, 0);
      // Up now, but failing its first three deliveries; then it accepts.
      await receiver.listen(port);
      await receiver.until(5);
      assert.deepEqual(
        receiver.distinct().map((event) => event.seq),
        [1, 2, 3, 4, 5],
      );
      const arrival = receiver.deliveries.map((event) => event.seq);
      assert.deepEqual(arrival, [...arrival].sort((a, b) => a - b), 'delivered in seq order');
      assert.deepEqual(receiver.distinct(), await api.store.audit.list({ limit: 10 }), 'events arrive whole');
      assert.deepEqual([...receiver.authorizations], ['Bearer hook-secret']);

      // Stopped, events appended meanwhile, started again: it resumes after the stored cursor. (Stopping
      // may abort the answer to event 5 after the receiver took it: then 5 comes again, at least once.)
      await api.stop();
      api = await startAuditedApi(dataDir);
      assert.ok((await api.store.audit.sinkCursor('webhook')) >= 4);
      const deliveredBeforeRestart = receiver.deliveries.length;
      await api.trail.record({ actor: 'system', action: 'test.offline', target: { type: 'application', id: 'app0' } });
      await api.trail.record({ actor: 'system', action: 'test.offline', target: { type: 'application', id: 'app1' } });
      await api.stop();
      api = await startAuditedApi(dataDir, webhook);
      await receiver.until(7);
      assert.deepEqual(
        receiver.distinct().map((event) => event.seq),
        [1, 2, 3, 4, 5, 6, 7],
      );
      const resumed = receiver.deliveries.slice(deliveredBeforeRestart).map((event) => event.seq);
      assert.ok(resumed.every((seq, index) => seq >= 5 && (index === 0 || seq > resumed[index - 1]!)), `resumed after the cursor, in order: ${resumed.join(',')}`);
      assert.deepEqual(
        receiver.distinct().slice(-2).map((event) => event.action),
        ['test.offline', 'test.offline'],
      );
    } finally {
      await api.stop();
      await receiver.close();
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});

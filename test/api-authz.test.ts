import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { AccessControl, RouteAccess } from '../src/api/access.js';
import { storeAccessControl } from '../src/api/auth/access-control.js';
import { authSettingsFrom } from '../src/api/auth/settings.js';
import { routeTable, type RouteEntry } from '../src/api/route-table.js';
import { buildApi, type ApiApp } from '../src/api/server.js';
import { gennakerVersion } from '../src/app/version.js';
import { validatePipeline } from '../src/core/pipeline/validate.js';
import { loadConfig } from '../src/config/load.js';
import { createLogger } from '../src/log/logger.js';
import { startApiServer, type ApiServer } from './support/api-server.js';

/**
 * Walks every route the router knows and proves each demands what it declares: no credentials → 401;
 * a caller without the permission, or with only a weaker one → 403; a caller with exactly the needed
 * grant → neither. Routes open to any authenticated caller must show a caller without roles nothing of
 * the seeded application. Routes added later are walked too; path parameters are filled from `seeded`.
 */

const seeded = {
  application: 'authz-app',
  pipeline: 'authz-pipeline',
  execution: 'authz-execution',
  /** A freeze of the application, starting far in the future so that it blocks nothing. */
  freeze: 'authz-freeze',
  /** A service account only administrators may see. */
  hiddenUser: 'authz-hidden-user',
  account: 'local',
  region: 'us-east',
} as const;

/** Routes that need no credentials at all; adding one is a decision to review, so it is listed here. */
const publicRoutes = new Set(['GET /health', 'GET /api/openapi.json', 'POST /api/auth/login', 'POST /api/auth/logout', 'GET /metrics']);

/**
 * Routes any authenticated caller may call, each filtering what it shows by permission (or acting on
 * the caller only). Listed for the same reason as the public ones.
 */
const authenticatedRoutes = new Set([
  'GET /api/auth/me',
  'POST /api/tokens',
  'GET /api/tokens',
  'DELETE /api/tokens/:id',
  'PUT /api/users/:name/password',
  'GET /api/applications',
  'POST /api/applications',
  'GET /api/executions',
  'GET /api/events',
  'GET /api/accounts',
  'GET /api/serverGroups',
  'GET /api/loadBalancers',
  'GET /api/freezes',
  // Freezing and lifting check WRITE on what the freeze covers in the handler (the scope is in the body or the freeze).
  'POST /api/freezes',
  'DELETE /api/freezes/:id',
  'GET /api/audit',
]);

type Caller = 'nobody' | 'no-roles' | 'r-read' | 'r-exec' | 'r-write' | 'a-read' | 'a-write' | 'admin';
const roleCallers = ['r-read', 'r-exec', 'r-write', 'a-read', 'a-write'] as const;

/** Who must get through (status neither 401 nor 403) and who must get 403, for each declared access. */
function expectations(access: Exclude<RouteAccess, { kind: 'public' }>): { allowed: Caller[]; forbidden: Caller[] } {
  switch (access.kind) {
    case 'authenticated':
      return { allowed: ['no-roles'], forbidden: [] };
    case 'admin':
      return { allowed: ['admin'], forbidden: ['no-roles', ...roleCallers] };
    case 'application': {
      const allowed: Caller[] = { READ: ['r-read', 'r-exec', 'r-write'] as Caller[], EXECUTE: ['r-exec', 'r-write'] as Caller[], WRITE: ['r-write'] as Caller[] }[access.action];
      return { allowed, forbidden: (['no-roles', ...roleCallers] as Caller[]).filter((caller) => !allowed.includes(caller)) };
    }
    case 'account': {
      const allowed: Caller[] = [access.action === 'READ' ? 'a-read' : 'a-write'];
      return { allowed, forbidden: (['no-roles', ...roleCallers] as Caller[]).filter((caller) => !allowed.includes(caller)) };
    }
  }
}

/** A concrete path for a route pattern: each parameter becomes the seeded thing it names. */
function concretePath(url: string): string {
  return url.replace(/:([A-Za-z]+)/g, (_match, name: string) => {
    switch (name) {
      case 'application':
      case 'app':
        return seeded.application;
      case 'pipelineId':
      case 'pipeline':
      case 'configId':
        return seeded.pipeline;
      case 'executionId':
      case 'execution':
        return seeded.execution;
      case 'account':
        return seeded.account;
      case 'region':
        return seeded.region;
      case 'id':
        if (url.includes('/executions/:id')) return seeded.execution;
        if (url.includes('/pipelines/:id')) return seeded.pipeline;
        return 'authz-id';
      case 'name':
        if (url.startsWith('/api/users')) return seeded.hiddenUser;
        if (url.includes('/applications')) return seeded.application;
        return 'authz-name';
      default:
        return `authz-${name}`;
    }
  });
}

interface Answer {
  readonly status: number;
  readonly text: string;
}

async function call(baseUrl: string, method: string, path: string, token: string | undefined): Promise<Answer> {
  const headers: Record<string, string> = token === undefined ? {} : { authorization: `Bearer ${token}` };
  const hasBody = ['POST', 'PUT', 'PATCH'].includes(method);
  if (hasBody) headers['content-type'] = 'application/json';
  const response = await fetch(new URL(path, baseUrl), { method, headers, body: hasBody ? '{}' : undefined, signal: AbortSignal.timeout(10_000) });
  // A stream (server-sent events) never ends: its status and headers are the answer.
  if (response.headers.get('content-type')?.startsWith('text/event-stream')) {
    await response.body?.cancel();
    return { status: response.status, text: '' };
  }
  return { status: response.status, text: await response.text() };
}

interface Walk {
  readonly baseUrl: string;
  readonly tokens: Readonly<Record<Exclude<Caller, 'nobody'>, string>>;
  /** Puts the seeded records back after a request that may have changed them. */
  readonly reseed: () => Promise<void>;
}

const routeName = (route: RouteEntry): string => `${route.method} ${route.url}`;

/** Every way a route departs from its declared access; empty when all hold. */
async function violations(routes: readonly RouteEntry[], walk: Walk): Promise<string[]> {
  const found: string[] = [];
  const seededNames = Object.values(seeded).filter((value) => value.startsWith('authz-'));
  const allowedCalls: { route: RouteEntry; caller: Exclude<Caller, 'nobody'> }[] = [];
  for (const route of routes) {
    const access = route.access;
    const name = routeName(route);
    if (access === undefined) {
      found.push(`${name}: declares no access`);
      continue;
    }
    if (access.kind === 'public') {
      if (!publicRoutes.has(name)) found.push(`${name}: public but not in the reviewed list of public routes`);
      continue;
    }
    if (access.kind === 'authenticated' && !authenticatedRoutes.has(name)) found.push(`${name}: open to any caller but not in the reviewed list`);
    const path = concretePath(route.url);
    const anonymous = await call(walk.baseUrl, route.method, path, undefined);
    if (anonymous.status !== 401) found.push(`${name}: without credentials answered ${anonymous.status}, not 401`);
    const { allowed, forbidden } = expectations(access);
    for (const caller of forbidden) {
      const answer = await call(walk.baseUrl, route.method, path, walk.tokens[caller as Exclude<Caller, 'nobody'>]);
      if (answer.status !== 403) found.push(`${name}: ${caller} answered ${answer.status}, not 403`);
    }
    for (const caller of allowed) allowedCalls.push({ route, caller: caller as Exclude<Caller, 'nobody'> });
  }
  // Calls that get through may change things (a DELETE deletes): they come after every refusal, and
  // DELETEs last, re-seeding after each.
  allowedCalls.sort((a, b) => Number(a.route.method === 'DELETE') - Number(b.route.method === 'DELETE'));
  for (const { route, caller } of allowedCalls) {
    const answer = await call(walk.baseUrl, route.method, concretePath(route.url), walk.tokens[caller]);
    if (answer.status === 401 || answer.status === 403) found.push(`${routeName(route)}: ${caller} holds the needed grant but got ${answer.status}`);
    if (route.access?.kind === 'authenticated' && answer.status < 300) {
      const leaked = seededNames.filter((seededName) => answer.text.includes(seededName));
      if (leaked.length > 0) found.push(`${routeName(route)}: shows a caller without roles ${leaked.join(', ')}`);
    }
    await walk.reseed();
  }
  return found;
}

const walkable = (routes: readonly RouteEntry[]): RouteEntry[] => routes.filter((route) => route.method !== 'HEAD' && !route.url.startsWith('/api/docs'));

describe('route-by-route authorization', () => {
  let server: ApiServer;
  let configDir: string;
  let configFile: string;
  let walk: Walk;

  before(async () => {
    configDir = await mkdtemp(join(tmpdir(), 'gennaker-authz-'));
    configFile = join(configDir, 'gennaker.yaml');
    await writeFile(
      configFile,
      `localCloud: { accounts: [{ name: ${seeded.account}, regions: [${seeded.region}], permissions: { READ: [a-read], WRITE: [a-write] } }] }\n`,
    );
    server = await startApiServer({ config: configFile });
    const { store, engine } = server.gennaker;
    const pipeline = validatePipeline({ application: seeded.application, name: 'approve', stages: [{ refId: '1', type: 'manualJudgment', name: 'Approve' }] });
    if (!pipeline.ok) throw new Error(JSON.stringify(pipeline.errors));
    const reseed = async (): Promise<void> => {
      if (!(await store.applications.get(seeded.application))) {
        await store.applications.create(seeded.application, { owner: 'authz', permissions: { READ: ['r-read'], EXECUTE: ['r-exec'], WRITE: ['r-write'] } });
      }
      if (!(await store.pipelineConfigs.get(seeded.pipeline))) {
        await store.pipelineConfigs.save({ id: seeded.pipeline, application: seeded.application, name: 'approve', body: pipeline.pipeline as unknown as Record<string, unknown> });
      }
      if (!(await store.executions.load(seeded.execution))) {
        await engine.startPipeline(seeded.pipeline, { type: 'manual', user: 'admin', parameters: {} }, seeded.execution);
      }
      if (!(await store.freezes.get(seeded.freeze))) {
        const inAYear = Date.now() + 365 * 24 * 60 * 60 * 1000;
        await engine.freeze({ id: seeded.freeze, scope: { kind: 'application', application: seeded.application }, reason: 'authz', createdBy: 'admin', startsAtMs: inAYear });
      }
      if (!(await store.users.get(seeded.hiddenUser))) await store.users.create({ name: seeded.hiddenUser, kind: 'service', roles: [], passwordHash: null });
    };
    await reseed();
    const tokenFor = (name: string, roles: string[]): Promise<string> => server.userToken(name, roles);
    walk = {
      baseUrl: server.url,
      reseed,
      tokens: {
        admin: await server.adminToken(),
        'no-roles': await tokenFor('authz-no-roles', []),
        'r-read': await tokenFor('authz-r-read', ['r-read']),
        'r-exec': await tokenFor('authz-r-exec', ['r-exec']),
        'r-write': await tokenFor('authz-r-write', ['r-write']),
        'a-read': await tokenFor('authz-a-read', ['a-read']),
        'a-write': await tokenFor('authz-a-write', ['a-write']),
      },
    };
  });

  after(async () => {
    await server.stop();
    await rm(configDir, { recursive: true, force: true });
  });

  test('every route of the router demands the access it declares', async () => {
    const routes = walkable(routeTable(server.gennaker.api));
    assert.ok(routes.some((route) => route.access?.kind === 'admin') && routes.some((route) => route.access?.kind === 'authenticated'));
    assert.deepEqual(await violations(routes, walk), []);
  });

  describe('the walk itself, on probe routes of every kind', () => {
    let probe: ApiApp | undefined;

    /** The same API and store with one probe route per application and account action, checked by `access`. */
    async function probeApi(access: AccessControl): Promise<{ url: string; routes: RouteEntry[] }> {
      const { store, engine, inventory, providers } = server.gennaker;
      const config = loadConfig({ flags: { config: configFile, data: server.dataDir }, env: {}, cwd: configDir });
      probe = await buildApi({ store, engine, inventory, providers, access, version: gennakerVersion, logger: createLogger('silent'), audit: { record: () => Promise.resolve() }, auth: authSettingsFrom(config) });
      const application = (request: { params: unknown }): string => (request.params as { application: string }).application;
      const account = (request: { params: unknown }): string => (request.params as { account: string }).account;
      probe.get('/probe/applications/:application', { config: { access: { kind: 'application', action: 'READ', application } } }, () => ({ ok: true }));
      probe.post('/probe/applications/:application/run', { config: { access: { kind: 'application', action: 'EXECUTE', application } } }, () => ({ ok: true }));
      probe.delete('/probe/applications/:application', { config: { access: { kind: 'application', action: 'WRITE', application } } }, () => ({ ok: true }));
      probe.get('/probe/accounts/:account', { config: { access: { kind: 'account', action: 'READ', account } } }, () => ({ ok: true }));
      probe.post('/probe/accounts/:account', { config: { access: { kind: 'account', action: 'WRITE', account } } }, () => ({ ok: true }));
      const url = await probe.listen({ host: '127.0.0.1', port: 0 });
      return { url, routes: walkable(routeTable(probe)).filter((route) => route.url.startsWith('/probe/')) };
    }

    after(async () => {
      await probe?.close();
    });

    test('with the real access control every probe route holds', async () => {
      const { url, routes } = await probeApi(storeAccessControl(server.gennaker.store, authSettingsFrom(loadConfig({ flags: { config: configFile }, env: {}, cwd: configDir }))));
      assert.equal(routes.length, 5);
      assert.deepEqual(await violations(routes, { ...walk, baseUrl: url }), []);
      await probe?.close();
      probe = undefined;
    });

    test('an access control that lets READ stand for every action, or ignores accounts, is caught', async () => {
      const real = storeAccessControl(server.gennaker.store, authSettingsFrom(loadConfig({ flags: { config: configFile }, env: {}, cwd: configDir })));
      const lax: AccessControl = {
        ...real,
        canApplication: (principal, application) => real.canApplication(principal, application, 'READ'),
        canAccount: () => true,
      };
      const { url, routes } = await probeApi(lax);
      const found = await violations(routes, { ...walk, baseUrl: url });
      assert.ok(found.includes('POST /probe/applications/:application/run: r-read answered 200, not 403'), found.join('\n'));
      assert.ok(found.includes('DELETE /probe/applications/:application: r-exec answered 200, not 403'), found.join('\n'));
      assert.ok(found.includes('POST /probe/accounts/:account: a-read answered 200, not 403'), found.join('\n'));
      assert.ok(found.includes('GET /probe/accounts/:account: no-roles answered 200, not 403'), found.join('\n'));
    });
  });
});

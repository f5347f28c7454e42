import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Principal } from '../src/core/auth/model.js';
import { bodyOf, errorOf, paths } from './support/api-assertions.js';
import { roleAccess, startApiHarness, type ApiHarness } from './support/api-harness.js';
import { startApiServer, type ApiServer } from './support/api-server.js';

interface FreezeBody {
  id: string;
  scope: { kind: string };
  createdBy: string;
  startsAtMs: number;
}

interface Quarantined {
  artifact: string;
  version: string;
  reason: string;
  quarantinedBy: string;
}

describe('freezes and quarantine API', () => {
  let server: ApiServer;
  before(async () => {
    server = await startApiServer({ insecureNoAuth: true });
    bodyOf(await server.request('POST', '/api/applications', { body: { name: 'shop', email: 'shop@example.com' } }), 201);
  });
  after(() => server.stop());

  test('freeze an application, see it listed, lift it', async () => {
    const created = bodyOf<FreezeBody>(await server.request('POST', '/api/freezes', { body: { scope: { kind: 'application', application: 'shop' }, reason: 'Black Friday' } }), 201);
    assert.equal(created.createdBy, 'anonymous');
    assert.equal(typeof created.startsAtMs, 'number');
    const listed = bodyOf<{ freezes: FreezeBody[] }>(await server.request('GET', '/api/freezes'), 200);
    assert.deepEqual(listed.freezes.map((freeze) => freeze.id), [created.id]);
    assert.equal((await server.request('DELETE', `/api/freezes/${created.id}`)).status, 204);
    assert.deepEqual(bodyOf<{ freezes: FreezeBody[] }>(await server.request('GET', '/api/freezes'), 200).freezes, []);
    errorOf(await server.request('DELETE', '/api/freezes/nosuch'), 404, 'GNK_E_NOT_FOUND');
  });

  test('bad freezes name the field', async () => {
    const global = { scope: { kind: 'global' }, reason: 'release' };
    assert.deepEqual(paths(await server.request('POST', '/api/freezes', { body: { ...global, until: 5 } })), ['body.until']);
    assert.deepEqual(paths(await server.request('POST', '/api/freezes', { body: { ...global, onFreeze: 'panic' } })), ['body.onFreeze']);
    errorOf(await server.request('POST', '/api/freezes', { body: { ...global, scope: { kind: 'planet' } } }), 400, 'GNK_E_VALIDATION');
    const backwards = errorOf(await server.request('POST', '/api/freezes', { body: { ...global, startsAtMs: 2000, endsAtMs: 1000 } }), 400, 'GNK_E_VALIDATION');
    assert.ok(backwards.details.some((detail) => detail.path?.endsWith('endsAtMs')), JSON.stringify(backwards));
    const taken = bodyOf<FreezeBody>(await server.request('POST', '/api/freezes', { body: { ...global, id: 'release-freeze' } }), 201);
    errorOf(await server.request('POST', '/api/freezes', { body: { ...global, id: taken.id } }), 409, 'GNK_E_ALREADY_EXISTS');
  });

  test('quarantine a version, list it, release it', async () => {
    const entry = { artifact: 'shop-web', version: '1.4.2', reason: 'leaks memory' };
    const first = bodyOf<Quarantined>(await server.request('POST', '/api/applications/shop/quarantine', { body: entry }), 201);
    assert.deepEqual({ ...first, quarantinedAt: 0 }, { application: 'shop', ...entry, quarantinedBy: 'anonymous', quarantinedAt: 0 });
    const again = bodyOf<Quarantined>(await server.request('POST', '/api/applications/shop/quarantine', { body: { ...entry, reason: 'another reason' } }), 201);
    assert.equal(again.reason, 'leaks memory');
    const listed = bodyOf<{ quarantined: Quarantined[] }>(await server.request('GET', '/api/applications/shop/quarantine'), 200);
    assert.deepEqual(listed.quarantined.map((item) => item.version), ['1.4.2']);
    assert.equal((await server.request('DELETE', '/api/applications/shop/quarantine/shop-web/1.4.2')).status, 204);
    errorOf(await server.request('DELETE', '/api/applications/shop/quarantine/shop-web/1.4.2'), 404, 'GNK_E_NOT_FOUND');
    assert.deepEqual(paths(await server.request('POST', '/api/applications/shop/quarantine', { body: { ...entry, severity: 'high' } })), ['body.severity']);
    assert.deepEqual(paths(await server.request('POST', '/api/applications/shop/quarantine', { body: { ...entry, reason: ' ' } })), ['body.reason']);
    errorOf(await server.request('POST', '/api/applications/nosuch/quarantine', { body: entry }), 404, 'GNK_E_NOT_FOUND');
  });
});

describe('freezes and quarantine for a caller who is not an administrator', () => {
  const operator: Principal = { name: 'ola', kind: 'user', roles: ['dev'], admin: false, via: 'token' };
  let harness: ApiHarness;
  before(async () => {
    harness = await startApiHarness({ access: roleAccess(operator, () => harness.store, { local: ['READ', 'WRITE'], prod: ['READ'] }) });
    await harness.store.applications.create('shop', { email: 's@example.com', permissions: { READ: ['dev'], WRITE: ['dev'] } });
    await harness.store.applications.create('vault', { email: 'v@example.com', permissions: { READ: ['dev'], WRITE: ['security'] } });
  });
  after(() => harness.stop());

  test('a freeze needs WRITE on what it covers; a global one needs an administrator, to create or to lift', async () => {
    bodyOf(await harness.request('POST', '/api/freezes', { body: { scope: { kind: 'application', application: 'shop' }, reason: 'r' } }), 201);
    bodyOf(await harness.request('POST', '/api/freezes', { body: { scope: { kind: 'account', account: 'local' }, reason: 'r' } }), 201);
    errorOf(await harness.request('POST', '/api/freezes', { body: { scope: { kind: 'application', application: 'vault' }, reason: 'r' } }), 403, 'GNK_E_FORBIDDEN');
    errorOf(await harness.request('POST', '/api/freezes', { body: { scope: { kind: 'account', account: 'prod' }, reason: 'r' } }), 403, 'GNK_E_FORBIDDEN');
    errorOf(await harness.request('POST', '/api/freezes', { body: { scope: { kind: 'global' }, reason: 'r' } }), 403, 'GNK_E_FORBIDDEN');
    await harness.engine.freeze({ id: 'everything', scope: { kind: 'global' }, reason: 'r', createdBy: 'root', startsAtMs: 0 });
    errorOf(await harness.request('DELETE', '/api/freezes/everything'), 403, 'GNK_E_FORBIDDEN');
  });

  test('quarantine: READ lists, WRITE changes', async () => {
    bodyOf(await harness.request('GET', '/api/applications/vault/quarantine'), 200);
    errorOf(await harness.request('POST', '/api/applications/vault/quarantine', { body: { artifact: 'a', version: '1', reason: 'r' } }), 403, 'GNK_E_FORBIDDEN');
    errorOf(await harness.request('DELETE', '/api/applications/vault/quarantine/a/1'), 403, 'GNK_E_FORBIDDEN');
    bodyOf(await harness.request('POST', '/api/applications/shop/quarantine', { body: { artifact: 'a', version: '1', reason: 'r' } }), 201);
  });
});

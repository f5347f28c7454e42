import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Principal } from '../src/core/auth/model.js';
import { roleAccess, startApiHarness, type ApiHarness } from './support/api-harness.js';
import { errorOf, paths } from './support/api-assertions.js';
import { startApiServer, type ApiServer } from './support/api-server.js';

const checkout = { name: 'checkout', email: 'team@example.com', owner: 'payments', description: 'Takes the money', permissions: { READ: ['dev'], WRITE: ['ops'] } };

describe('applications API', () => {
  let server: ApiServer;
  before(async () => {
    server = await startApiServer({ insecureNoAuth: true });
  });
  after(() => server.stop());

  test('create, read, list; the response carries the version as an ETag', async () => {
    const created = await server.request('POST', '/api/applications', { body: checkout });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    assert.equal(created.headers.get('etag'), '"1"');
    assert.deepEqual(created.body, { ...checkout, trafficGuards: [], version: 1, createdAt: (created.body as { createdAt: number }).createdAt, updatedAt: (created.body as { updatedAt: number }).updatedAt });
    const read = await server.request('GET', '/api/applications/checkout');
    assert.deepEqual(read.body, created.body);
    const list = (await server.request('GET', '/api/applications')).body as { applications: { name: string }[] };
    assert.ok(list.applications.some((application) => application.name === 'checkout'));
    errorOf(await server.request('POST', '/api/applications', { body: checkout }), 409, 'GNK_E_ALREADY_EXISTS');
  });

  test('the OpenAPI document describes every resource route with its parameters', async () => {
    const document = (await server.request('GET', '/api/openapi.json')).body as { paths: Record<string, Record<string, unknown>> };
    for (const path of [
      '/api/applications/{application}',
      '/api/pipelines/{id}/revisions/{revision}/restore',
      '/api/executions/{id}/stages/{stageId}/judgment',
      '/api/applications/{application}/operations',
      '/api/applications/{application}/serverGroups/{account}/{region}/{name}',
      '/api/freezes/{id}',
      '/api/applications/{application}/quarantine/{artifact}/{version}',
    ]) {
      assert.ok(document.paths[path], `${path} is documented`);
    }
    assert.deepEqual(Object.keys(document.paths['/api/applications/{application}'] ?? {}).sort(), ['delete', 'get', 'patch', 'put']);
  });

  test('bad input is refused naming the field: unknown fields, invalid names, bad e-mail, bad traffic guards', async () => {
    const unknown = await server.request('POST', '/api/applications', { body: { ...checkout, name: 'other', colour: 'blue' } });
    errorOf(unknown, 400, 'GNK_E_VALIDATION');
    assert.deepEqual(paths(unknown), ['body.colour']);
    const badName = await server.request('POST', '/api/applications', { body: { ...checkout, name: 'Check-Out' } });
    assert.deepEqual(paths(badName), ['body.name']);
    const badEmail = await server.request('POST', '/api/applications', { body: { ...checkout, name: 'other', email: 'nobody' } });
    assert.deepEqual(paths(badEmail), ['body.email']);
    const badGuard = await server.request('POST', '/api/applications', { body: { ...checkout, name: 'other', trafficGuards: [{ location: 'us-east' }] } });
    assert.deepEqual(paths(badGuard), ['body.trafficGuards.0.account']);
    const badPermission = await server.request('POST', '/api/applications', { body: { ...checkout, name: 'other', permissions: { ADMIN: ['x'] } } });
    assert.deepEqual(paths(badPermission), ['body.permissions.ADMIN']);
    errorOf(await server.request('GET', '/api/applications/nosuchapp'), 404, 'GNK_E_NOT_FOUND');
  });

  test('updates need the version read: If-Match or body.version; a stale one is a 409', async () => {
    await server.request('POST', '/api/applications', { body: { name: 'billing', email: 'billing@example.com' } });
    const unversioned = await server.request('PUT', '/api/applications/billing', { body: { email: 'new@example.com' } });
    errorOf(unversioned, 400, 'GNK_E_VALIDATION');
    assert.deepEqual(paths(unversioned), ['body.version']);

    const replaced = await server.request('PUT', '/api/applications/billing', { body: { email: 'new@example.com', owner: 'finance' }, headers: { 'if-match': '"1"' } });
    assert.equal(replaced.status, 200, JSON.stringify(replaced.body));
    assert.equal(replaced.headers.get('etag'), '"2"');
    assert.equal((replaced.body as { owner: string }).owner, 'finance');

    const stale = await server.request('PATCH', '/api/applications/billing', { body: { description: 'late', version: 1 } });
    const conflict = errorOf(stale, 409, 'GNK_E_CONFLICT');
    assert.match(conflict.message, /version 2, not 1/);

    const patched = await server.request('PATCH', '/api/applications/billing', { body: { description: 'Invoices', version: 2 } });
    assert.equal(patched.status, 200);
    assert.deepEqual(
      { ...(patched.body as object), createdAt: 0, updatedAt: 0 },
      { name: 'billing', email: 'new@example.com', owner: 'finance', description: 'Invoices', permissions: {}, trafficGuards: [], version: 3, createdAt: 0, updatedAt: 0 },
    );
    const badIfMatch = await server.request('PATCH', '/api/applications/billing', { body: {}, headers: { 'if-match': 'soon' } });
    assert.deepEqual(paths(badIfMatch), ['headers.if-match']);
    const renamed = await server.request('PATCH', '/api/applications/billing', { body: { name: 'other', version: 3 } });
    assert.deepEqual(paths(renamed), ['body.name']);
    errorOf(await server.request('PUT', '/api/applications/nosuchapp', { body: { email: 'a@example.com', version: 1 } }), 404, 'GNK_E_NOT_FOUND');
  });

  test('delete refuses while the application has pipelines, then succeeds', async () => {
    await server.request('POST', '/api/applications', { body: { name: 'doomed', email: 'x@example.com' } });
    const pipeline = await server.request('POST', '/api/applications/doomed/pipelines', { body: { name: 'p', stages: [{ type: 'wait', waitTime: 1 }] } });
    assert.equal(pipeline.status, 201, JSON.stringify(pipeline.body));
    const refused = errorOf(await server.request('DELETE', '/api/applications/doomed'), 409, 'GNK_E_CONFLICT');
    assert.match(refused.message, /1 pipeline/);
    assert.equal((await server.request('DELETE', `/api/pipelines/${(pipeline.body as { id: string }).id}`)).status, 204);
    assert.equal((await server.request('DELETE', '/api/applications/doomed')).status, 204);
    errorOf(await server.request('GET', '/api/applications/doomed'), 404, 'GNK_E_NOT_FOUND');
    errorOf(await server.request('DELETE', '/api/applications/doomed'), 404, 'GNK_E_NOT_FOUND');
  });
});

describe('applications API for a caller who is not an administrator', () => {
  const developer: Principal = { name: 'dana', kind: 'user', roles: ['dev'], admin: false, via: 'token' };
  let harness: ApiHarness;
  before(async () => {
    harness = await startApiHarness({ access: roleAccess(developer, () => harness.store) });
  });
  after(() => harness.stop());

  test('creating an application without WRITE for one of your roles is refused, naming body.permissions.WRITE', async () => {
    const locked = await harness.request('POST', '/api/applications', { body: { name: 'mine', email: 'd@example.com', permissions: { READ: ['dev'], WRITE: ['ops'] } } });
    errorOf(locked, 400, 'GNK_E_VALIDATION');
    assert.deepEqual(paths(locked), ['body.permissions.WRITE']);
    const created = await harness.request('POST', '/api/applications', { body: { name: 'mine', email: 'd@example.com', permissions: { READ: ['dev'], WRITE: ['dev'] } } });
    assert.equal(created.status, 201, JSON.stringify(created.body));
  });

  test('the list holds only the applications the caller may read; reading another is forbidden', async () => {
    await harness.store.applications.create('secret', { email: 's@example.com', permissions: { READ: ['ops'], WRITE: ['ops'] } });
    const list = (await harness.request('GET', '/api/applications')).body as { applications: { name: string }[] };
    assert.deepEqual(list.applications.map((application) => application.name), ['mine']);
    errorOf(await harness.request('GET', '/api/applications/secret'), 403, 'GNK_E_FORBIDDEN');
    errorOf(await harness.request('PATCH', '/api/applications/secret', { body: { version: 1, description: 'x' } }), 403, 'GNK_E_FORBIDDEN');
  });
});

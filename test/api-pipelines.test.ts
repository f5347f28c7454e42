import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { bodyOf, errorOf, paths } from './support/api-assertions.js';
import { startApiServer, type ApiServer } from './support/api-server.js';

interface SavedPipeline {
  id: string;
  application: string;
  name: string;
  revision: number;
  updatedBy: string;
  pipeline: Record<string, unknown>;
  warnings: { path: string; message: string }[];
}

interface RevisionBody {
  revision: number;
  author: string;
  pipeline: Record<string, unknown>;
  previousRevision?: number;
  changes: { kind: string; path: string; before?: unknown; after?: unknown }[];
}

const waitPipeline = (seconds: number) => ({ name: 'Bake and wait', stages: [{ refId: '1', type: 'wait', waitTime: seconds }] });

describe('pipelines API', () => {
  let server: ApiServer;
  before(async () => {
    server = await startApiServer({ insecureNoAuth: true });
    bodyOf(await server.request('POST', '/api/applications', { body: { name: 'shop', email: 'shop@example.com' } }), 201);
  });
  after(() => server.stop());

  test('create validates, keeps the pipeline as written, and lists it under its application', async () => {
    const saved = bodyOf<SavedPipeline>(await server.request('POST', '/api/applications/shop/pipelines', { body: waitPipeline(30) }), 201);
    assert.equal(saved.application, 'shop');
    assert.equal(saved.revision, 1);
    assert.equal(saved.updatedBy, 'anonymous');
    assert.deepEqual(saved.pipeline, { ...waitPipeline(30), application: 'shop', id: saved.id });
    const read = bodyOf<SavedPipeline>(await server.request('GET', `/api/pipelines/${saved.id}`), 200);
    assert.deepEqual(read.pipeline, saved.pipeline);
    const list = bodyOf<{ pipelines: SavedPipeline[] }>(await server.request('GET', '/api/applications/shop/pipelines'), 200);
    assert.deepEqual(list.pipelines.map((pipeline) => pipeline.id), [saved.id]);
    errorOf(await server.request('POST', '/api/applications/shop/pipelines', { body: waitPipeline(5) }), 409, 'GNK_E_ALREADY_EXISTS');
    errorOf(await server.request('POST', '/api/applications/shop/pipelines', { body: { ...waitPipeline(5), name: 'other', id: saved.id } }), 409, 'GNK_E_ALREADY_EXISTS');
  });

  test('an invalid pipeline is a 400 whose details name the stage refId and the field', async () => {
    const invalid = await server.request('POST', '/api/applications/shop/pipelines', {
      body: { name: 'broken', stages: [{ refId: 'a', type: 'wait', waitTime: 'soon' }, { refId: 'b', type: 'nosuch', requisiteStageRefIds: ['a'] }] },
    });
    const error = errorOf(invalid, 400, 'GNK_E_PIPELINE_INVALID');
    assert.deepEqual(
      error.details.map((detail) => [detail.refId, detail.path]),
      [
        ['a', '$.stages[0].waitTime'],
        ['b', '$.stages[1].type'],
      ],
    );
    const otherApplication = await server.request('POST', '/api/applications/shop/pipelines', { body: { ...waitPipeline(1), name: 'x', application: 'billing' } });
    assert.deepEqual(paths(otherApplication), ['body.application']);
    errorOf(await server.request('POST', '/api/applications/shop/pipelines', { body: [] }), 400, 'GNK_E_VALIDATION');
    assert.deepEqual(paths(await server.request('POST', '/api/applications/shop/pipelines', { body: { ...waitPipeline(1), name: 'y', id: 'a/b' } })), ['body.id']);
    const chosen = bodyOf<SavedPipeline>(await server.request('POST', '/api/applications/shop/pipelines', { body: { ...waitPipeline(1), name: 'z', id: 'deploy-prod.1' } }), 201);
    assert.equal(chosen.id, 'deploy-prod.1');
    errorOf(await server.request('POST', '/api/applications/nosuch/pipelines', { body: waitPipeline(1) }), 404, 'GNK_E_NOT_FOUND');
  });

  test('an unknown account is a warning naming the field; the pipeline is saved', async () => {
    const saved = bodyOf<SavedPipeline>(
      await server.request('POST', '/api/applications/shop/pipelines', {
        body: { name: 'precheck', stages: [{ type: 'checkPreconditions', preconditions: [{ type: 'clusterSize', context: { credentials: 'nowhere', regions: ['us-east'], cluster: 'shop-prod', expected: 1 } }] }] },
      }),
      201,
    );
    assert.ok(saved.warnings.some((warning) => warning.path === '$.stages[0].preconditions[0].context.credentials'), JSON.stringify(saved.warnings));
  });

  test('every save is a revision; a revision shows its diff with the one before; restoring one makes a new revision', async () => {
    const created = bodyOf<SavedPipeline>(await server.request('POST', '/api/applications/shop/pipelines', { body: { ...waitPipeline(10), name: 'history' } }), 201);
    const path = `/api/pipelines/${created.id}`;
    const second = bodyOf<SavedPipeline>(
      await server.request('PUT', path, { body: { ...created.pipeline, stages: [{ refId: '1', type: 'wait', waitTime: 20 }], description: 'slower' } }),
      200,
    );
    assert.equal(second.revision, 2);
    errorOf(await server.request('PUT', path, { body: created.pipeline, headers: { 'if-match': '"1"' } }), 409, 'GNK_E_CONFLICT');
    const renamedId = await server.request('PUT', path, { body: { ...created.pipeline, id: 'another' } });
    assert.deepEqual(paths(renamedId), ['body.id']);

    const revisions = bodyOf<{ revisions: { revision: number; author: string }[] }>(await server.request('GET', `${path}/revisions`), 200);
    assert.deepEqual(revisions.revisions.map((revision) => revision.revision), [2, 1]);

    const diff = bodyOf<RevisionBody>(await server.request('GET', `${path}/revisions/2`), 200);
    assert.equal(diff.previousRevision, 1);
    assert.deepEqual(diff.changes, [
      { kind: 'added', path: '$.description', after: 'slower' },
      { kind: 'changed', path: '$.stages[0].waitTime', before: 10, after: 20 },
    ]);
    const first = bodyOf<RevisionBody>(await server.request('GET', `${path}/revisions/1`), 200);
    assert.equal(first.previousRevision, undefined);
    assert.ok(first.changes.every((change) => change.kind === 'added'));

    const restored = bodyOf<SavedPipeline>(await server.request('POST', `${path}/revisions/1/restore`), 201);
    assert.equal(restored.revision, 3);
    assert.deepEqual(restored.pipeline, created.pipeline);
    const undo = bodyOf<RevisionBody>(await server.request('GET', `${path}/revisions/3`), 200);
    assert.deepEqual(undo.changes, [
      { kind: 'removed', path: '$.description', before: 'slower' },
      { kind: 'changed', path: '$.stages[0].waitTime', before: 20, after: 10 },
    ]);

    errorOf(await server.request('GET', `${path}/revisions/9`), 404, 'GNK_E_NOT_FOUND');
    assert.deepEqual(paths(await server.request('GET', `${path}/revisions/zero`)), ['params.revision']);
    errorOf(await server.request('POST', `${path}/revisions/9/restore`), 404, 'GNK_E_NOT_FOUND');
  });

  test('delete removes the pipeline and its history; unknown pipelines are 404 everywhere', async () => {
    const created = bodyOf<SavedPipeline>(await server.request('POST', '/api/applications/shop/pipelines', { body: { ...waitPipeline(1), name: 'short-lived' } }), 201);
    assert.equal((await server.request('DELETE', `/api/pipelines/${created.id}`)).status, 204);
    for (const [method, path] of [
      ['GET', `/api/pipelines/${created.id}`],
      ['PUT', `/api/pipelines/${created.id}`],
      ['DELETE', `/api/pipelines/${created.id}`],
      ['GET', `/api/pipelines/${created.id}/revisions`],
      ['POST', `/api/pipelines/${created.id}/executions`],
    ] as const) {
      errorOf(await server.request(method, path, method === 'PUT' ? { body: waitPipeline(1) } : {}), 404, 'GNK_E_NOT_FOUND');
    }
  });
});

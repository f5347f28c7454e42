import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { auditedCloudServices } from '../src/app/audited-cloud-services.js';
import type { AuditTrail } from '../src/app/audit-trail.js';
import type { AuditEvent } from '../src/core/audit/chain.js';
import type { CloudOperation } from '../src/core/cloud/index.js';
import type { EngineEvent } from '../src/core/execution/index.js';
import { noCloud, type CloudServices } from '../src/engine/cloud-services.js';
import { startApiServer, type ApiServer } from './support/api-server.js';
import { freePort } from './support/free-port.js';

/** Resolves with the first event (already appended or still to come) that matches. */
async function appended(trail: AuditTrail, server: ApiServer, matches: (event: AuditEvent) => boolean): Promise<AuditEvent> {
  const waiting = new Promise<AuditEvent>((resolve) => trail.onAppended((event) => matches(event) && resolve(event)));
  const existing = (await server.gennaker.store.audit.list({ limit: 500 })).find(matches);
  return existing ?? waiting;
}

function nextEngineEvent(server: ApiServer, matches: (event: EngineEvent) => boolean): Promise<EngineEvent> {
  return new Promise((resolve) => {
    const listener = (event: EngineEvent): void => {
      if (!matches(event)) return;
      server.gennaker.engine.events.off('event', listener);
      resolve(event);
    };
    server.gennaker.engine.events.on('event', listener);
  });
}

describe('the audit trail in a running Gennaker', () => {
  let server: ApiServer;
  let configDir: string;
  const received: AuditEvent[] = [];
  const receivedWaiters: { seq: number; resolve: () => void }[] = [];
  const receiver = createServer((request, response) => {
    let text = '';
    request.on('data', (chunk: Buffer) => (text += chunk.toString()));
    request.on('end', () => {
      const event = JSON.parse(text) as AuditEvent;
      received.push(event);
      response.writeHead(200).end();
      for (const waiter of receivedWaiters.filter((candidate) => candidate.seq === event.seq)) waiter.resolve();
    });
  });
  const receivedSeq = (seq: number): Promise<void> =>
    received.some((event) => event.seq === seq) ? Promise.resolve() : new Promise((resolve) => receivedWaiters.push({ seq, resolve }));

  before(async () => {
    const port = await freePort();
    await new Promise<void>((resolve) => receiver.listen(port, '127.0.0.1', resolve));
    configDir = await mkdtemp(join(tmpdir(), 'gennaker-audit-config-'));
    const configFile = join(configDir, 'gennaker.json');
    await writeFile(configFile, JSON.stringify({ audit: { webhook: { url: `http://127.0.0.1:${port}/hook`, minRetryMs: 20 } } }));
    server = await startApiServer({ config: configFile });
  });
  after(async () => {
    await server.stop();
    await new Promise((resolve) => receiver.close(resolve));
    await rm(configDir, { recursive: true, force: true });
  });

  test('an orchestration records its start, the manual judgment by whoever answered, and its end; the webhook gets them', async () => {
    const { engine } = server.gennaker;
    const judgmentWaiting = nextEngineEvent(server, (event) => event.kind === 'task' && event.status === 'RUNNING');
    const id = await engine.runOrchestration('shop', 'approve and go', [{ type: 'manualJudgment', name: 'Approve', context: { judgmentInputs: [{ value: 'go' }] } }, { type: 'noop', context: {} }], 'alice');
    await judgmentWaiting;
    const stage = (await engine.get(id))!.stages.find((candidate) => candidate.type === 'manualJudgment')!;
    await engine.patchStage(id, stage.id, { judgmentStatus: 'continue', judgmentInput: 'go', lastModifiedBy: 'bob' });
    assert.equal((await engine.whenComplete(id)).execution.status, 'SUCCEEDED');
    await appended(server.gennaker.audit, server, (event) => event.executionId === id && event.action === 'orchestration.end');

    const page = await server.request('GET', `/api/audit?executionId=${id}`, { token: await server.adminToken() });
    assert.equal(page.status, 200);
    const events = (page.body as { events: AuditEvent[] }).events;
    assert.deepEqual(
      events.map(({ actor, action, target, application }) => ({ actor, action, target, application })),
      [
        { actor: 'alice', action: 'orchestration.start', target: { type: 'orchestration', id: 'approve and go' }, application: 'shop' },
        { actor: 'bob', action: 'stage.manualJudgment', target: { type: 'stage', id: `${id}/${stage.id}` }, application: 'shop' },
        { actor: 'alice', action: 'orchestration.end', target: { type: 'orchestration', id: 'approve and go' }, application: 'shop' },
      ],
    );
    assert.deepEqual(events[1]!.summary, { stage: 'Approve', judgmentStatus: 'continue', judgmentInput: 'go', status: 'SUCCEEDED' });
    assert.deepEqual(events[2]!.summary, { name: 'approve and go', status: 'SUCCEEDED' });

    await receivedSeq(events.at(-1)!.seq);
    assert.deepEqual(
      received.filter((event) => event.executionId === id),
      events,
    );
  });

  test('a cloud operation is recorded once finished, as the trigger user, linked to its execution', async () => {
    const { engine, store, audit } = server.gennaker;
    const id = await engine.runOrchestration('shop', 'noop', [{ type: 'noop', context: {} }], 'carol');
    await engine.whenComplete(id);
    const outcomes = new Map<string, Awaited<ReturnType<CloudServices['execute']>>>([
      [`${id}/s1/1/t1/resize`, { state: 'succeeded', clientToken: `${id}/s1/1/t1/resize` }],
      [`${id}/s1/1/t1/destroy`, { state: 'failed', clientToken: `${id}/s1/1/t1/destroy`, code: 'GNK_E_PROVIDER_UNAVAILABLE', message: 'down' }],
      ['unknown-execution/s/1/t', { state: 'succeeded', clientToken: 'unknown-execution/s/1/t' }],
    ]);
    const cloud = auditedCloudServices({ ...noCloud, execute: async (token) => outcomes.get(token)! }, store, audit);
    const resize: CloudOperation = { type: 'resizeServerGroup', account: 'local', region: 'us-east', serverGroup: 'shop-v001', capacity: { min: 1, max: 1, desired: 1 } };
    const destroy: CloudOperation = { type: 'destroyServerGroup', account: 'local', region: 'us-east', serverGroup: 'shop-v000' };
    assert.deepEqual(await cloud.execute(`${id}/s1/1/t1/resize`, resize), outcomes.get(`${id}/s1/1/t1/resize`));
    await cloud.execute(`${id}/s1/1/t1/destroy`, destroy);
    await cloud.execute('unknown-execution/s/1/t', destroy);
    const events = (await store.audit.list({ limit: 500, action: 'cloud.resizeServerGroup' })).concat(await store.audit.list({ limit: 500, action: 'cloud.destroyServerGroup' }));
    assert.deepEqual(
      events.map(({ actor, action, target, application, executionId, summary }) => ({ actor, action, target, application, executionId, outcome: summary['outcome'] })),
      [
        { actor: 'carol', action: 'cloud.resizeServerGroup', target: { type: 'serverGroup', id: 'local/us-east/shop-v001' }, application: 'shop', executionId: id, outcome: { state: 'succeeded' } },
        { actor: 'carol', action: 'cloud.destroyServerGroup', target: { type: 'serverGroup', id: 'local/us-east/shop-v000' }, application: 'shop', executionId: id, outcome: { state: 'failed', code: 'GNK_E_PROVIDER_UNAVAILABLE', message: 'down' } },
        { actor: 'system', action: 'cloud.destroyServerGroup', target: { type: 'serverGroup', id: 'local/us-east/shop-v000' }, application: null, executionId: null, outcome: { state: 'succeeded' } },
      ],
    );
    assert.deepEqual(events[0]!.summary['operation'], resize);
  });
});

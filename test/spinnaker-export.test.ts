import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage } from 'node:http';
import { after, describe, test } from 'node:test';
import { executionStatuses, type EngineEvent } from '../src/core/execution/index.js';
import { parsePipelineText } from '../src/core/pipeline/parse-text.js';
import { validatePipeline } from '../src/core/pipeline/validate.js';
import { Engine } from '../src/engine/engine.js';
import { createLogger } from '../src/log/logger.js';
import { builtInStages } from '../src/stages/index.js';
import { runCli } from './support/cli.js';
import { engineFixtures, openAt } from './support/store-engines.js';

const fixture = new URL('../../test/fixtures/pipelines/spinnaker-export-runnable.json', import.meta.url);
const exported = parsePipelineText(readFileSync(fixture, 'utf8'), 'spinnaker-export-runnable.json');

/** A change-ticket service on loopback: POST creates a ticket (Location header), GET reports it APPROVED. */
async function ticketService(): Promise<{ url: string; requests: { method: string; path: string; body: string; key?: string }[]; close(): Promise<void> }> {
  const requests: { method: string; path: string; body: string; key?: string }[] = [];
  const server = createServer((request: IncomingMessage, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString()));
    request.on('end', () => {
      requests.push({ method: request.method!, path: request.url!, body, key: request.headers['idempotency-key'] as string | undefined });
      if (request.method === 'POST') {
        response.writeHead(201, { location: `http://127.0.0.1:${(server.address() as { port: number }).port}/api/tickets/T-1`, 'content-type': 'application/json' });
        response.end(JSON.stringify({ id: 'T-1', state: 'OPEN' }));
      } else {
        response.writeHead(200, { 'content-type': 'application/json' });
        response.end(JSON.stringify({ id: 'T-1', state: 'APPROVED' }));
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as { port: number }).port}`,
    requests,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

describe('a pipeline exported from Spinnaker', () => {
  test('passes gennaker validate', async () => {
    const { code, stdout } = await runCli(['validate', fixture.pathname]);
    assert.equal(code, 0, stdout);
    assert.match(stdout, /^valid: checkout \/ "Promote checkout" — 6 stages/m);
  });

  const storeFixtures = engineFixtures();
  after(async () => {
    for (const storeFixture of storeFixtures) await storeFixture.teardown();
  });

  for (const storeFixture of storeFixtures) {
    test(`runs unchanged on ${storeFixture.engine}: variables, preconditions, a webhook with polling, a windowed judgment, a child pipeline, a wait`, async () => {
      const location = await storeFixture.freshLocation();
      const store = await openAt(location);
      const tickets = await ticketService();
      const engine = new Engine({ store, stages: builtInStages(), logger: createLogger('silent'), dataDir: location.dataDir, nodeId: 'export-test' });
      const events: EngineEvent[] = [];
      engine.events.on('event', (event) => events.push(event));
      await engine.start();
      try {
        const validated = validatePipeline(exported);
        assert.ok(validated.ok);
        const child = validatePipeline({ application: 'checkout', name: 'Deploy', stages: [{ refId: '1', type: 'evaluateVariables', variables: [{ key: 'deployed', value: '${parameters.version}' }] }] });
        assert.ok(child.ok);
        await store.pipelineConfigs.save({ id: '1f0e2d3c-4b5a-4697-8879-6a5b4c3d2e1f', application: 'checkout', name: 'Deploy', body: child.pipeline as unknown as Record<string, unknown> });
        await store.pipelineConfigs.save({ id: validated.pipeline.id!, application: 'checkout', name: validated.pipeline.name, body: validated.pipeline as unknown as Record<string, unknown> });

        const judgmentWaiting = new Promise<void>((resolve, reject) => {
          engine.events.on('event', (event) => {
            if (event.kind === 'task' && event.status === 'RUNNING' && event.stageId === '4') resolve();
            if (event.kind === 'execution' && event.status !== 'RUNNING') reject(new Error(`execution ended ${event.status} before the judgment`));
          });
        });
        const id = await engine.startPipeline(validated.pipeline.id!, { type: 'manual', user: 'jane', parameters: { version: '2026.11.1', ticketService: tickets.url } });
        await judgmentWaiting;
        await engine.patchStage(id, '4', { judgmentStatus: 'continue', judgmentInput: 'Promote', lastModifiedBy: 'jane' });
        const done = await engine.whenComplete(id);

        assert.equal(done.execution.status, 'SUCCEEDED', JSON.stringify(done.stages.map((s) => [s.refId, s.status, s.failure])));
        const byRef = (refId: string) => done.stages.find((stage) => stage.refId === refId)!;
        assert.deepEqual(byRef('1').outputs, { releaseVersion: '2026.11.1', ticketTitle: 'Promote checkout 2026.11.1 to prod' });
        assert.deepEqual(['2<1', '2<2'].map((refId) => byRef(refId).status), ['SUCCEEDED', 'SUCCEEDED']);
        assert.equal(byRef('4<1').type, 'restrictExecutionDuringTimeWindow');
        assert.equal(byRef('4<1').status, 'SUCCEEDED');
        for (const refId of ['3', '4', '5', '6']) assert.equal(byRef(refId).status, 'SUCCEEDED', refId);
        const post = tickets.requests.find((request) => request.method === 'POST')!;
        assert.deepEqual(JSON.parse(post.body), { service: 'checkout', title: 'Promote checkout 2026.11.1 to prod', version: '2026.11.1' });
        assert.ok(post.key, 'webhook calls carry an idempotency key');
        assert.ok(tickets.requests.some((request) => request.method === 'GET' && request.path === '/api/tickets/T-1'));
        const childId = String(byRef('5').context['executionId']);
        assert.equal((await engine.get(childId))?.execution.status, 'SUCCEEDED');
        assert.ok(events.every((event) => executionStatuses.includes(event.status)));
      } finally {
        await engine.stop();
        await store.close();
        await tickets.close();
      }
    });
  }

});

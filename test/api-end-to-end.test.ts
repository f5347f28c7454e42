import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { initialAdminPasswordFileName, initialAdminUser } from '../src/app/initial-admin.js';
import { servedWithLocalCloud } from './support/localcloud.js';
import { openEventStream, type EventStreamClient } from './support/event-stream.js';
import { bodyOf } from './support/api-assertions.js';
import { apiRequest, type ApiResponse } from './support/api-server.js';

const helloService = fileURLToPath(new URL('../../examples/hello-service', import.meta.url));
const application = 'shop';

/** What `npm start` runs, authentication on as shipped, with the local cloud. */
const served = servedWithLocalCloud('end-to-end');


function deploy(refId: string, version: string, requisiteStageRefIds: string[]): Record<string, unknown> {
  return {
    refId,
    requisiteStageRefIds,
    type: 'createServerGroup',
    name: `Deploy ${version}`,
    application,
    account: 'local',
    region: 'us-east',
    cloudProvider: 'local',
    stack: 'web',
    capacity: { min: 1, max: 1, desired: 1 },
    artifact: { name: 'hello-service', version, location: helloService },
    command: ['node', 'server.js'],
    healthCheck: { path: '/health' },
    strategy: 'redblack',
  };
}

interface AuditPage {
  events: { action: string; actor: string; target: { type: string; id: string }; executionId: string | null }[];
}

test('through HTTP only: log in, create an application and a red/black pipeline, run it on the local cloud, follow it live, answer its judgment, find every step audited', { timeout: 120_000 }, async () => {
  const password = (await readFile(join(served.dataDir, initialAdminPasswordFileName), 'utf8')).trim();
  const login = await apiRequest(served.server().url, 'POST', '/api/auth/login', { body: { username: initialAdminUser, password } });
  bodyOf<Record<string, unknown>>(login, 200);
  const cookie = /^(gennaker_session=[^;]+)/.exec(login.headers.get('set-cookie') ?? '')?.[1];
  assert.ok(cookie, 'the login sets the session cookie');
  const asAdmin = { headers: { cookie } };
  const call = (method: string, path: string, body?: unknown): Promise<ApiResponse> => apiRequest(served.server().url, method, path, { ...asAdmin, ...(body === undefined ? {} : { body }) });

  bodyOf<Record<string, unknown>>(await call('POST', '/api/applications', { name: application, owner: 'Shop team', email: 'shop@example.com', description: 'the shop', permissions: { READ: ['shop-dev'], WRITE: ['shop-ops'], EXECUTE: ['shop-ops'] } }), 201);
  const pipeline = bodyOf<Record<string, unknown>>(
    await call('POST', `/api/applications/${application}/pipelines`, {
      name: 'Release',
      application,
      stages: [deploy('1', '1.0.0', []), { refId: '2', requisiteStageRefIds: ['1'], type: 'manualJudgment', name: 'Ship 2.0.0?' }, deploy('3', '2.0.0', ['2'])],
    }),
    201,
  );

  const stream: EventStreamClient = await openEventStream(`${served.server().url}/api/events?application=${application}`, asAdmin.headers, 110_000);
  assert.equal(stream.status, 200);
  const { id: executionId } = bodyOf<{ id: string }>(await call('POST', `/api/pipelines/${String(pipeline['id'])}/executions`, {}), 201);
  try {
    const judgmentRunning = await stream.waitFor((event) => {
      const data = JSON.parse(event.data) as { type: string; executionId?: string; refId?: string; status?: string };
      return data.type === 'stage' && data.executionId === executionId && data.refId === '2' && data.status === 'RUNNING';
    }, 'the manual judgment waiting');
    const { stageId } = JSON.parse(judgmentRunning.data) as { stageId: string };
    bodyOf<Record<string, unknown>>(await call('POST', `/api/executions/${executionId}/stages/${stageId}/judgment`, { judgmentStatus: 'continue' }), 200);
    const finished = await stream.waitFor((event) => {
      const data = JSON.parse(event.data) as { type: string; executionId?: string; status?: string };
      return data.type === 'execution' && data.executionId === executionId && ['SUCCEEDED', 'TERMINAL', 'CANCELED'].includes(data.status ?? '');
    }, 'the execution finishing');
    assert.equal((JSON.parse(finished.data) as { status: string }).status, 'SUCCEEDED', JSON.stringify((await call('GET', `/api/executions/${executionId}`)).body));
    const groupEvents = stream.events.filter((event) => (JSON.parse(event.data) as { type: string }).type === 'serverGroup');
    assert.ok(groupEvents.length > 0, 'the stream carried the server groups as they changed');
  } finally {
    stream.close();
  }

  const groups = bodyOf<{ serverGroups: { name: string; enabled: boolean }[] }>(await call('GET', `/api/applications/${application}/serverGroups`), 200);
  assert.deepEqual(
    groups.serverGroups.map((group) => [group.name, group.enabled]).sort(),
    [
      ['shop-web-v000', false],
      ['shop-web-v001', true],
    ],
    'red/black: the new group serves, the old one is disabled',
  );

  const trail = bodyOf<AuditPage>(await call('GET', `/api/audit?application=${application}&limit=500`), 200);
  const actions = trail.events.map((event) => event.action);
  for (const expected of ['application.create', 'application.pipeline.create', 'pipeline.execution.create', 'execution.stage.judgment', 'pipeline.start', 'cloud.createServerGroup', 'cloud.disableServerGroup', 'stage.manualJudgment', 'stage.createServerGroup', 'pipeline.end']) {
    assert.ok(actions.includes(expected), `the trail records ${expected}; it has ${JSON.stringify(actions)}`);
  }
  assert.ok(
    trail.events.filter((event) => event.action.startsWith('cloud.') || event.action.startsWith('stage.')).every((event) => event.executionId === executionId),
    'cloud operations and stages link to the execution',
  );
  const judged = trail.events.find((event) => event.action === 'stage.manualJudgment');
  assert.equal(judged?.actor, initialAdminUser, 'the judgment is recorded as whoever answered it');
  const logins = bodyOf<AuditPage>(await call('GET', '/api/audit?action=auth.login'), 200);
  assert.ok(logins.events.some((event) => event.actor === initialAdminUser), 'the login is recorded');
});

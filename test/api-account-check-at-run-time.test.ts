import assert from 'node:assert/strict';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { bodyOf } from './support/api-assertions.js';
import { apiRequest, bootstrapAdminToken, type ApiResponse } from './support/api-server.js';
import { servedWithLocalCloud } from './support/localcloud.js';

const helloService = fileURLToPath(new URL('../../examples/hello-service', import.meta.url));
/** What `npm start` runs, authentication on as shipped, with the local cloud. */
const served = servedWithLocalCloud('account-check');


interface ExecutionBody {
  execution: { status: string };
  stages: { refId: string; status: string; context: Record<string, unknown> }[];
}

test('an account chosen by an expression is checked when the stage runs: EXECUTE on the application alone does not deploy to it', { timeout: 60_000 }, async () => {
  const admin = await bootstrapAdminToken(served.server().url, served.dataDir);
  const asAdmin = (method: string, path: string, body?: unknown): Promise<ApiResponse> => apiRequest(served.server().url, method, path, { token: admin, ...(body === undefined ? {} : { body }) });
  bodyOf<Record<string, unknown>>(await asAdmin('POST', '/api/users', { name: 'dana', roles: ['deployer'], password: 'correct horse battery' }), 201);
  bodyOf<Record<string, unknown>>(await asAdmin('POST', '/api/applications', { name: 'ledger', owner: 'Ledger team', email: 'ledger@example.com', permissions: { READ: ['deployer'], EXECUTE: ['deployer'], WRITE: ['admin'] } }), 201);
  const pipeline = bodyOf<Record<string, unknown>>(
    await asAdmin('POST', '/api/applications/ledger/pipelines', {
      name: 'Deploy anywhere',
      application: 'ledger',
      parameterConfig: [{ name: 'account', default: 'local' }],
      stages: [
        {
          refId: '1',
          type: 'createServerGroup',
          application: 'ledger',
          account: '${parameters.account}',
          region: 'us-east',
          cloudProvider: 'local',
          capacity: { min: 1, max: 1, desired: 1 },
          artifact: { name: 'hello-service', version: '1.0.0', location: helloService },
          command: ['node', 'server.js'],
          strategy: 'highlander',
        },
      ],
    }),
    201,
  );

  const login = await apiRequest(served.server().url, 'POST', '/api/auth/login', { body: { username: 'dana', password: 'correct horse battery' } });
  const cookie = /^(gennaker_session=[^;]+)/.exec(login.headers.get('set-cookie') ?? '')?.[1];
  assert.ok(cookie, `dana logs in: ${JSON.stringify(login.body)}`);
  const asDana = (method: string, path: string, body?: unknown): Promise<ApiResponse> => apiRequest(served.server().url, method, path, { headers: { cookie }, ...(body === undefined ? {} : { body }) });

  const { id } = bodyOf<{ id: string }>(await asDana('POST', `/api/pipelines/${String(pipeline['id'])}/executions`, { parameters: { account: 'local' } }), 201);
  let state: ExecutionBody | undefined;
  for (let attempt = 0; attempt < 200; attempt += 1) {
    state = bodyOf<ExecutionBody>(await asDana('GET', `/api/executions/${id}`), 200);
    if (['TERMINAL', 'SUCCEEDED', 'CANCELED', 'STOPPED'].includes(state.execution.status)) break;
    await sleep(100);
  }
  assert.equal(state?.execution.status, 'TERMINAL', JSON.stringify(state));
  assert.match(JSON.stringify(state), /GNK_E_FORBIDDEN/, 'the stage fails naming the missing permission');
  assert.match(JSON.stringify(state), /dana lacks WRITE on account local/);
  const groups = bodyOf<{ serverGroups: unknown[] }>(await asAdmin('GET', '/api/applications/ledger/serverGroups'), 200);
  assert.deepEqual(groups.serverGroups, [], 'nothing was deployed');
});

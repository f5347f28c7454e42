import assert from 'node:assert/strict';
import { existsSync, statSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { sha256Hex } from '../src/api/auth/credentials.js';
import { ensureInitialAdmin } from '../src/app/initial-admin.js';
import type { AuditEventInput } from '../src/core/audit/event.js';
import { createLogger } from '../src/log/logger.js';
import { startApiServer, type ApiResponse, type ApiServer } from './support/api-server.js';

const codeOf = (response: ApiResponse): string | undefined => (response.body as { error?: { code: string } } | undefined)?.error?.code;

describe('authentication over HTTP', () => {
  const events: AuditEventInput[] = [];
  let logs = '';
  let server: ApiServer;
  let adminPassword: string;
  const secrets: string[] = [];

  before(async () => {
    const logger = createLogger('trace', { write: (line: string) => void (logs += line) });
    server = await startApiServer({}, { logger, audit: { record: (event) => Promise.resolve(void events.push(event)) } });
    adminPassword = (await readFile(join(server.dataDir, 'initial-admin-password'), 'utf8')).trim();
    secrets.push(adminPassword);
  });
  after(() => server.stop());

  const cookieOf = (response: ApiResponse): string => /^(gennaker_session=[^;]+)/.exec(response.headers.get('set-cookie') ?? '')![1]!;

  test('the first start creates admin with a random password in a 0600 file, once', async () => {
    const file = join(server.dataDir, 'initial-admin-password');
    assert.equal(statSync(file).mode & 0o777, 0o600);
    assert.match(adminPassword, /^[A-Za-z0-9_-]{32}$/);
    assert.equal(server.gennaker.initialAdmin?.passwordFile, file);
    assert.equal(await ensureInitialAdmin(server.gennaker.store, 'admin', server.dataDir, createLogger('silent')), false);
    assert.equal((await readFile(file, 'utf8')).trim(), adminPassword, 'the file is left alone once there are users');
    assert.deepEqual((await server.gennaker.store.users.list()).map((user) => [user.name, user.roles]), [['admin', ['admin']]]);
  });

  test('a wrong password and an unknown user get the same 401, and both are audited (an unknown name is not recorded)', async () => {
    const wrongPassword = await server.request('POST', '/api/auth/login', { body: { username: 'admin', password: 'not-it' } });
    const unknownUser = await server.request('POST', '/api/auth/login', { body: { username: 'nobody', password: adminPassword } });
    for (const response of [wrongPassword, unknownUser]) {
      assert.equal(response.status, 401);
      assert.deepEqual(response.body, { error: { code: 'GNK_E_UNAUTHENTICATED', message: 'wrong user name or password', details: [] } });
      assert.equal(response.headers.get('set-cookie'), null);
    }
    assert.deepEqual(
      events.filter((event) => event.action === 'auth.login-failed').map((event) => event.target.id),
      ['admin', '(unknown user)'],
    );
    const extraField = await server.request('POST', '/api/auth/login', { body: { username: 'admin', password: adminPassword, remember: true } });
    assert.equal(extraField.status, 400);
  });

  test('login sets an HttpOnly, SameSite=Strict session cookie that authenticates; logout ends it', async () => {
    const login = await server.request('POST', '/api/auth/login', { body: { username: 'admin', password: adminPassword } });
    assert.equal(login.status, 200);
    assert.deepEqual({ ...(login.body as object), expiresAt: 0 }, { name: 'admin', roles: ['admin'], admin: true, expiresAt: 0 });
    const setCookie = login.headers.get('set-cookie') ?? '';
    assert.match(setCookie, /^gennaker_session=[A-Za-z0-9_-]{43};/);
    assert.match(setCookie, /; HttpOnly/);
    assert.match(setCookie, /; SameSite=Strict/);
    assert.match(setCookie, /; Path=\//);
    assert.match(setCookie, /; Max-Age=43200/, 'twelve hours by default');
    assert.doesNotMatch(setCookie, /Secure/, 'plain http on loopback');
    const cookie = cookieOf(login);
    secrets.push(cookie.split('=')[1]!);
    const me = await server.request('GET', '/api/auth/me', { headers: { cookie } });
    assert.equal(me.status, 200);
    assert.deepEqual(me.body, { name: 'admin', kind: 'user', roles: ['admin'], admin: true, via: 'session', permissions: { applications: {}, accounts: { local: ['READ', 'WRITE'] } } });
    assert.equal((await server.request('GET', '/api/auth/me')).status, 401);
    assert.equal((await server.request('GET', '/api/auth/me', { headers: { cookie: 'gennaker_session=forged' } })).status, 401);

    const logout = await server.request('POST', '/api/auth/logout', { headers: { cookie } });
    assert.equal(logout.status, 204);
    assert.match(logout.headers.get('set-cookie') ?? '', /^gennaker_session=;.*Expires=Thu, 01 Jan 1970/);
    assert.equal((await server.request('GET', '/api/auth/me', { headers: { cookie } })).status, 401);
    assert.equal((await server.request('POST', '/api/auth/logout', { headers: { cookie } })).status, 204, 'a stale cookie can always be cleared');
    assert.deepEqual(
      events.filter((event) => event.action === 'auth.login' || event.action === 'auth.logout').map((event) => `${event.action}:${event.actor}`),
      ['auth.login:admin', 'auth.logout:admin'],
    );
  });

  test('an expired session does not authenticate', async () => {
    const sessionId = 'expired-session-id';
    await server.gennaker.store.sessions.create({ idSha256: sha256Hex(sessionId), user: 'admin', createdAt: 0, expiresAt: Date.now() - 1 });
    assert.equal((await server.request('GET', '/api/auth/me', { headers: { cookie: `gennaker_session=${sessionId}` } })).status, 401);
  });

  test('API tokens: shown once, stored hashed, listed without the secret, revocable; expired and malformed ones fail', async () => {
    const cookie = await server.login('admin', adminPassword);
    const created = await server.request('POST', '/api/tokens', { headers: { cookie }, body: { name: 'ci', expiresInDays: 30 } });
    assert.equal(created.status, 201);
    const { token, id, expiresAt, createdAt } = created.body as { token: string; id: string; expiresAt: number; createdAt: number };
    secrets.push(token);
    assert.match(token, /^gnk_[A-Za-z0-9_-]{43}$/);
    assert.equal(expiresAt - createdAt, 30 * 86_400_000);
    const row = await server.gennaker.store.db.selectFrom('api_tokens').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    assert.equal(row.token_sha256, sha256Hex(token));
    assert.ok(!JSON.stringify(row).includes(token.slice(4)));

    const me = await server.request('GET', '/api/auth/me', { token });
    assert.equal((me.body as { via: string }).via, 'token');
    const listed = await server.request('GET', '/api/tokens', { token });
    assert.ok(!JSON.stringify(listed.body).includes(token));
    const mine = (listed.body as { id: string; lastUsedAt: number | null }[]).find((entry) => entry.id === id);
    assert.ok(mine?.lastUsedAt, 'last use is recorded');

    assert.equal((await server.request('GET', '/api/auth/me', { token: `${token.slice(0, -1)}x` })).status, 401);
    assert.equal((await server.request('GET', '/api/auth/me', { headers: { authorization: `Bearer ${token}`.replace('Bearer', 'Basic') } })).status, 401);
    assert.equal((await server.request('GET', '/api/auth/me', { token: 'short', headers: { cookie } })).status, 401, 'a bad token is not rescued by a cookie');

    const revoked = await server.request('DELETE', `/api/tokens/${id}`, { headers: { cookie } });
    assert.equal(revoked.status, 200);
    assert.ok((revoked.body as { revokedAt: number | null }).revokedAt);
    assert.equal((await server.request('GET', '/api/auth/me', { token })).status, 401);
    assert.deepEqual(
      events.filter((event) => event.target.id === id).map((event) => event.action),
      ['token.create', 'token.revoke'],
    );

    const expiredSecret = `gnk_${'e'.repeat(43)}`;
    await server.gennaker.store.apiTokens.create({ id: 'old', owner: 'admin', name: 'old', tokenSha256: sha256Hex(expiredSecret), createdAt: 0, expiresAt: Date.now() - 1 });
    assert.equal((await server.request('GET', '/api/auth/me', { token: expiredSecret })).status, 401);
  });

  test('users: administrators manage them; bad input names the field; the last administrator stays', async () => {
    const admin = await server.adminToken();
    const password = 'correct horse battery';
    secrets.push(password);
    const missingPassword = await server.request('POST', '/api/users', { token: admin, body: { name: 'ann', roles: ['dev'] } });
    assert.equal(missingPassword.status, 400);
    assert.deepEqual((missingPassword.body as { error: { details: unknown } }).error.details, [{ path: 'body.password', expected: 'a password of at least 12 characters' }]);
    assert.equal((await server.request('POST', '/api/users', { token: admin, body: { name: 'ann', password: 'short' } })).status, 400);
    assert.equal((await server.request('POST', '/api/users', { token: admin, body: { name: 'ann', password, isAdmin: true } })).status, 400);
    assert.equal((await server.request('POST', '/api/users', { token: admin, body: { name: 'b/ad', password } })).status, 400);
    assert.equal((await server.request('POST', '/api/users', { token: admin, body: { name: 'bot', kind: 'service', password } })).status, 400);

    const created = await server.request('POST', '/api/users', { token: admin, body: { name: 'ann', roles: ['dev'], password } });
    assert.equal(created.status, 201);
    assert.deepEqual({ ...(created.body as object), createdAt: 0, updatedAt: 0 }, { name: 'ann', kind: 'user', roles: ['dev'], admin: false, createdAt: 0, updatedAt: 0 });
    assert.ok(!JSON.stringify(created.body).includes('scrypt'));
    assert.equal(codeOf(await server.request('POST', '/api/users', { token: admin, body: { name: 'ann', password } })), 'GNK_E_ALREADY_EXISTS');

    const annCookie = await server.login('ann', password);
    assert.equal((await server.request('GET', '/api/users', { headers: { cookie: annCookie } })).status, 403);
    assert.equal((await server.request('POST', '/api/users', { headers: { cookie: annCookie }, body: { name: 'eve', password } })).status, 403);

    const roles = await server.request('PUT', '/api/users/ann/roles', { token: admin, body: { roles: ['dev', 'ops'] } });
    assert.deepEqual((roles.body as { roles: string[] }).roles, ['dev', 'ops']);
    assert.deepEqual(events.find((event) => event.action === 'user.roles')?.summary, { before: ['dev'], after: ['dev', 'ops'] });
    assert.deepEqual(((await server.request('GET', '/api/auth/me', { headers: { cookie: annCookie } })).body as { roles: string[] }).roles, ['dev', 'ops'], 'roles apply at once');
    assert.equal((await server.request('GET', '/api/users/ghost', { token: admin })).status, 404);

    assert.equal(codeOf(await server.request('DELETE', '/api/users/admin', { token: admin })), 'GNK_E_OPERATION_REFUSED');
    assert.equal(codeOf(await server.request('PUT', '/api/users/admin/roles', { token: admin, body: { roles: [] } })), 'GNK_E_OPERATION_REFUSED');
    assert.equal((await server.request('PUT', '/api/users/ann/roles', { token: admin, body: { roles: ['admin'] } })).status, 200);
    assert.equal((await server.request('PUT', '/api/users/ann/roles', { token: admin, body: { roles: ['dev'] } })).status, 200, 'another administrator remains');
  });

  test('passwords: a user changes their own with the old one (other sessions end), an administrator resets anyone\'s', async () => {
    const admin = await server.adminToken();
    const first = 'first password 1';
    const second = 'second password 2';
    const third = 'third password 3';
    secrets.push(first, second, third);
    await server.request('POST', '/api/users', { token: admin, body: { name: 'cat', roles: [], password: first } });
    await server.request('POST', '/api/users', { token: admin, body: { name: 'dan', roles: [], password: first } });
    const laptop = await server.login('cat', first);
    const phone = await server.login('cat', first);

    const wrongOld = await server.request('PUT', '/api/users/cat/password', { headers: { cookie: laptop }, body: { password: second, oldPassword: 'nope' } });
    assert.equal(codeOf(wrongOld), 'GNK_E_FORBIDDEN');
    assert.equal((await server.request('PUT', '/api/users/cat/password', { headers: { cookie: laptop }, body: { password: second } })).status, 403);
    assert.equal((await server.request('PUT', '/api/users/dan/password', { headers: { cookie: laptop }, body: { password: second, oldPassword: first } })).status, 403);

    assert.equal((await server.request('PUT', '/api/users/cat/password', { headers: { cookie: laptop }, body: { password: second, oldPassword: first } })).status, 204);
    assert.equal((await server.request('GET', '/api/auth/me', { headers: { cookie: laptop } })).status, 200, 'the session that changed it goes on');
    assert.equal((await server.request('GET', '/api/auth/me', { headers: { cookie: phone } })).status, 401, 'other sessions end');
    assert.equal((await server.request('POST', '/api/auth/login', { body: { username: 'cat', password: first } })).status, 401);
    await server.login('cat', second);

    assert.equal((await server.request('PUT', '/api/users/cat/password', { token: admin, body: { password: third } })).status, 204);
    assert.equal((await server.request('GET', '/api/auth/me', { headers: { cookie: laptop } })).status, 401);
    await server.login('cat', third);
    assert.deepEqual(
      events.filter((event) => event.action === 'user.password').map((event) => `${event.actor}→${event.target.id}`),
      ['cat→cat', 'admin→cat'],
    );
  });

  test('service accounts never log in; administrators make their tokens; a token for a person is refused', async () => {
    const admin = await server.adminToken();
    assert.equal((await server.request('POST', '/api/users', { token: admin, body: { name: 'deploy-bot', kind: 'service', roles: ['deployer'] } })).status, 201);
    assert.equal((await server.request('POST', '/api/auth/login', { body: { username: 'deploy-bot', password: '' } })).status, 400);
    assert.equal((await server.request('POST', '/api/auth/login', { body: { username: 'deploy-bot', password: 'anything at all' } })).status, 401);

    const made = await server.request('POST', '/api/tokens', { token: admin, body: { name: 'triggers', owner: 'deploy-bot' } });
    assert.equal(made.status, 201);
    const botToken = (made.body as { token: string }).token;
    secrets.push(botToken);
    const me = await server.request('GET', '/api/auth/me', { token: botToken });
    assert.deepEqual({ ...(me.body as object), permissions: null }, { name: 'deploy-bot', kind: 'service', roles: ['deployer'], admin: false, via: 'token', permissions: null });
    assert.equal((await server.request('PUT', '/api/users/deploy-bot/password', { token: admin, body: { password: 'some long password' } })).status, 400);

    assert.equal((await server.request('POST', '/api/tokens', { token: admin, body: { name: 'x', owner: 'ann' } })).status, 400);
    const annToken = await server.userToken('eve', []);
    assert.equal((await server.request('POST', '/api/tokens', { token: annToken, body: { name: 'x', owner: 'deploy-bot' } })).status, 403);
    const botTokens = (await server.request('GET', '/api/tokens', { token: annToken })).body as { owner: string }[];
    assert.deepEqual([...new Set(botTokens.map((token) => token.owner))], ['eve'], 'a user lists their own tokens only');
    const botTokenId = (made.body as { id: string }).id;
    assert.equal((await server.request('DELETE', `/api/tokens/${botTokenId}`, { token: annToken })).status, 404, "someone else's token is not theirs to see");
  });

  test('deleting a user ends their tokens and sessions', async () => {
    const admin = await server.adminToken();
    const token = await server.userToken('gus', ['dev']);
    assert.equal((await server.request('GET', '/api/auth/me', { token })).status, 200);
    assert.equal((await server.request('DELETE', '/api/users/gus', { token: admin })).status, 204);
    assert.equal((await server.request('GET', '/api/auth/me', { token })).status, 401);
    assert.ok(events.some((event) => event.action === 'user.delete' && event.target.id === 'gus'));
  });

  test('no secret reaches the logs or the audit trail; pino blanks credential headers', async () => {
    const audit = JSON.stringify(events);
    for (const secret of secrets) {
      assert.ok(!logs.includes(secret), 'a secret in the logs');
      assert.ok(!audit.includes(secret), 'a secret in the audit trail');
    }
    let line = '';
    createLogger('info', { write: (text: string) => void (line += text) }).info(
      { req: { headers: { authorization: 'Bearer gnk_secret', cookie: 'gennaker_session=secret' } }, res: { headers: { 'set-cookie': 'gennaker_session=secret' } } },
      'request',
    );
    assert.doesNotMatch(line, /secret/);
  });
});

describe('authentication settings', () => {
  test('--insecure-no-auth: everyone is an administrator, and no administrator is created', async () => {
    const server = await startApiServer({ insecureNoAuth: true });
    try {
      const me = await server.request('GET', '/api/auth/me');
      assert.equal(me.status, 200);
      assert.deepEqual({ ...(me.body as object), permissions: null }, { name: 'anonymous', kind: 'user', roles: [], admin: true, via: 'insecure-no-auth', permissions: null });
      assert.equal((await server.request('GET', '/api/inventory')).status, 200);
      assert.equal(existsSync(join(server.dataDir, 'initial-admin-password')), false);
      assert.equal(await server.gennaker.store.users.count(), 0);
    } finally {
      await server.stop();
    }
  });

  test('configured: Secure cookies, session length, another administrator role, account grants', async () => {
    const dir = (await import('node:fs/promises')).mkdtemp;
    const configDir = await dir(join((await import('node:os')).tmpdir(), 'gennaker-auth-config-'));
    const configFile = join(configDir, 'gennaker.yaml');
    await writeFile(
      configFile,
      [
        'auth: { adminRole: root, sessionTtlHours: 1, secureCookies: true }',
        'localCloud:',
        '  accounts:',
        '    - { name: staging, regions: [us-east], permissions: { READ: [dev], WRITE: [dev] } }',
        '    - { name: prod, regions: [us-east], permissions: { READ: [dev], WRITE: [ops] } }',
        '    - { name: vault, regions: [us-east] }',
      ].join('\n'),
    );
    const server = await startApiServer({ config: configFile });
    try {
      const password = (await readFile(join(server.dataDir, 'initial-admin-password'), 'utf8')).trim();
      const login = await server.request('POST', '/api/auth/login', { body: { username: 'admin', password } });
      assert.equal((login.body as { admin: boolean }).admin, true);
      assert.deepEqual((await server.gennaker.store.users.get('admin'))?.roles, ['root']);
      const setCookie = login.headers.get('set-cookie') ?? '';
      assert.match(setCookie, /; Secure/);
      assert.match(setCookie, /; Max-Age=3600/);
      const dev = await server.userToken('dev-1', ['dev']);
      const me = (await server.request('GET', '/api/auth/me', { token: dev })).body as { permissions: unknown };
      assert.deepEqual(me.permissions, { applications: {}, accounts: { staging: ['READ', 'WRITE'], prod: ['READ'] } });
    } finally {
      await server.stop();
    }
  });
});

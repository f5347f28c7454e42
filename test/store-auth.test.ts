import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { GennakerError } from '../src/core/errors.js';
import { principalForServiceAccount } from '../src/store/users.js';
import { engineFixtures, openAt } from './support/store-engines.js';

for (const fixture of engineFixtures()) {
  describe(`users, API tokens and sessions on ${fixture.engine}`, () => {
    after(() => fixture.teardown());

    test('users: create, refuse a duplicate, list, change roles and password, count, delete', async () => {
      let clock = 1_000;
      const store = await openAt(await fixture.freshLocation(), () => clock);
      try {
        assert.equal(await store.users.count(), 0);
        const ann = await store.users.create({ name: 'ann', kind: 'user', roles: ['dev'], passwordHash: 'scrypt$x' });
        assert.deepEqual(ann, { name: 'ann', kind: 'user', roles: ['dev'], passwordHash: 'scrypt$x', createdAt: 1_000, updatedAt: 1_000 });
        await assert.rejects(store.users.create({ name: 'ann', kind: 'service', roles: [], passwordHash: null }), (error: unknown) => {
          return error instanceof GennakerError && error.code === 'GNK_E_ALREADY_EXISTS';
        });
        await store.users.create({ name: 'deploy-bot', kind: 'service', roles: ['deployer'], passwordHash: null });
        clock = 2_000;
        assert.deepEqual((await store.users.setRoles('ann', ['dev', 'ops'])).roles, ['dev', 'ops']);
        await store.users.setPasswordHash('ann', 'scrypt$y');
        assert.deepEqual(await store.users.get('ann'), { ...ann, roles: ['dev', 'ops'], passwordHash: 'scrypt$y', updatedAt: 2_000 });
        await assert.rejects(store.users.setPasswordHash('deploy-bot', 'scrypt$z'), /does not exist/, 'service accounts have no password');
        await assert.rejects(store.users.setRoles('nobody', []), /does not exist/);
        assert.deepEqual((await store.users.list()).map((user) => `${user.name}:${user.kind}`), ['ann:user', 'deploy-bot:service']);
        assert.equal(await store.users.count(), 2);
        assert.equal(await store.users.delete('ann'), true);
        assert.equal(await store.users.delete('ann'), false);
        assert.equal(await store.users.get('ann'), undefined);
      } finally {
        await store.close();
      }
    });

    test('principals for service accounts, never for people', async () => {
      const store = await openAt(await fixture.freshLocation());
      try {
        await store.users.create({ name: 'deploy-bot', kind: 'service', roles: ['deployer'], passwordHash: null });
        await store.users.create({ name: 'root-bot', kind: 'service', roles: ['root'], passwordHash: null });
        await store.users.create({ name: 'ann', kind: 'user', roles: ['deployer'], passwordHash: 'scrypt$x' });
        assert.deepEqual(await principalForServiceAccount(store.users, 'deploy-bot', 'root'), {
          name: 'deploy-bot',
          kind: 'service',
          roles: ['deployer'],
          admin: false,
          via: 'trigger',
        });
        assert.equal((await principalForServiceAccount(store.users, 'root-bot', 'root')).admin, true);
        await assert.rejects(principalForServiceAccount(store.users, 'ann', 'root'), /no service account 'ann'/);
        await assert.rejects(principalForServiceAccount(store.users, 'ghost', 'root'), /no service account 'ghost'/);
      } finally {
        await store.close();
      }
    });

    test('tokens: create, find by hash, list per owner, record use, revoke once; deleting the owner deletes them', async () => {
      const store = await openAt(await fixture.freshLocation());
      try {
        await store.users.create({ name: 'ann', kind: 'user', roles: [], passwordHash: 'scrypt$x' });
        await store.users.create({ name: 'bob', kind: 'user', roles: [], passwordHash: 'scrypt$x' });
        const first = await store.apiTokens.create({ id: 't1', owner: 'ann', name: 'ci', tokenSha256: 'aa', createdAt: 10, expiresAt: 100 });
        assert.deepEqual(first, { id: 't1', owner: 'ann', name: 'ci', createdAt: 10, expiresAt: 100, lastUsedAt: null, revokedAt: null });
        await store.apiTokens.create({ id: 't2', owner: 'ann', name: 'laptop', tokenSha256: 'bb', createdAt: 20, expiresAt: null });
        await store.apiTokens.create({ id: 't3', owner: 'bob', name: 'ci', tokenSha256: 'cc', createdAt: 30, expiresAt: null });
        await assert.rejects(store.apiTokens.create({ id: 't4', owner: 'ghost', name: 'x', tokenSha256: 'dd', createdAt: 1, expiresAt: null }), 'an owner must exist');
        assert.equal((await store.apiTokens.findBySha256('bb'))?.id, 't2');
        assert.equal(await store.apiTokens.findBySha256('zz'), undefined);
        assert.deepEqual((await store.apiTokens.list('ann')).map((token) => token.id), ['t2', 't1']);
        assert.deepEqual((await store.apiTokens.list()).map((token) => token.id), ['t3', 't2', 't1']);
        await store.apiTokens.recordUse('t1', 50);
        assert.equal((await store.apiTokens.get('t1'))?.lastUsedAt, 50);
        assert.equal(await store.apiTokens.revoke('t1', 60), true);
        assert.equal(await store.apiTokens.revoke('t1', 70), false);
        assert.equal((await store.apiTokens.get('t1'))?.revokedAt, 60);
        assert.equal(await store.apiTokens.revoke('nope', 70), false);
        await store.users.delete('ann');
        assert.deepEqual((await store.apiTokens.list()).map((token) => token.id), ['t3']);
      } finally {
        await store.close();
      }
    });

    test('sessions: create, find, delete, end a user\'s others, sweep the expired; deleting the user deletes them', async () => {
      const store = await openAt(await fixture.freshLocation());
      try {
        await store.users.create({ name: 'ann', kind: 'user', roles: [], passwordHash: 'scrypt$x' });
        await store.users.create({ name: 'bob', kind: 'user', roles: [], passwordHash: 'scrypt$x' });
        for (const [id, user, expiresAt] of [['s1', 'ann', 100], ['s2', 'ann', 200], ['s3', 'ann', 300], ['s4', 'bob', 50], ['s5', 'bob', 500]] as const) {
          await store.sessions.create({ idSha256: id, user, createdAt: 1, expiresAt });
        }
        assert.deepEqual(await store.sessions.find('s1'), { user: 'ann', createdAt: 1, expiresAt: 100 });
        assert.equal(await store.sessions.delete('s1'), true);
        assert.equal(await store.sessions.delete('s1'), false);
        assert.equal(await store.sessions.deleteForUser('ann', 's3'), 1);
        assert.equal(await store.sessions.find('s2'), undefined);
        assert.ok(await store.sessions.find('s3'));
        assert.equal(await store.sessions.deleteExpired(100), 1);
        assert.equal(await store.sessions.find('s4'), undefined);
        await store.users.delete('ann');
        assert.equal(await store.sessions.find('s3'), undefined);
        assert.ok(await store.sessions.find('s5'));
      } finally {
        await store.close();
      }
    });
  });
}

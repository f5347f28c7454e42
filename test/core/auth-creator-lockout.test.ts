import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { locksOutCreator } from '../../src/core/auth/creator-lockout.js';
import type { Principal } from '../../src/core/auth/model.js';

const user = (roles: string[], admin = false): Principal => ({ name: 'u', kind: 'user', roles, admin, via: 'token' });

describe('a creator locking themself out of a new application', () => {
  test('a non-administrator must grant WRITE to one of their roles', () => {
    assert.equal(locksOutCreator(user(['dev', 'ops']), { WRITE: ['ops'] }), false);
    assert.equal(locksOutCreator(user(['dev']), { WRITE: ['ops'] }), true);
    assert.equal(locksOutCreator(user(['dev']), { READ: ['dev'], EXECUTE: ['dev'] }), true);
    assert.equal(locksOutCreator(user(['dev']), {}), true);
    assert.equal(locksOutCreator(user([]), { WRITE: ['dev'] }), true);
  });

  test('an administrator can always change it afterwards', () => {
    assert.equal(locksOutCreator(user([], true), {}), false);
    assert.equal(locksOutCreator(user(['dev'], true), { WRITE: ['ops'] }), false);
  });
});

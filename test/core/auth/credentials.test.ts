import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  bearerCredential,
  looksLikeApiToken,
  sessionState,
  shouldRecordTokenUse,
  tokenExpiry,
  tokenState,
  tokenUseRecordIntervalMs,
} from '../../../src/core/auth/credentials.js';

describe('credential rules', () => {
  test('an API token is gnk_ and 43 base64url characters', () => {
    assert.equal(looksLikeApiToken(`gnk_${'A'.repeat(43)}`), true);
    assert.equal(looksLikeApiToken(`gnk_${'-_aZ09'.repeat(7)}x`), true);
    for (const bad of ['', 'gnk_', `gnk_${'A'.repeat(42)}`, `gnk_${'A'.repeat(44)}`, `xyz_${'A'.repeat(43)}`, `gnk_${'A'.repeat(42)}=`, `gnk_${'A'.repeat(42)}+`]) {
      assert.equal(looksLikeApiToken(bad), false, bad);
    }
  });

  test('bearer credentials are read from the Authorization header only when it is one', () => {
    assert.equal(bearerCredential('Bearer abc'), 'abc');
    assert.equal(bearerCredential('bearer   abc '), 'abc');
    assert.equal(bearerCredential('Basic YWxhZGRpbjpvcGVuc2VzYW1l'), undefined);
    assert.equal(bearerCredential('Bearer'), undefined);
    assert.equal(bearerCredential('Bearer a b'), undefined);
    assert.equal(bearerCredential(undefined), undefined);
  });

  test('a token is usable until revoked or until its expiry (exclusive)', () => {
    assert.deepEqual(tokenState({ revokedAt: null, expiresAt: null }, 5), { kind: 'usable' });
    assert.deepEqual(tokenState({ revokedAt: null, expiresAt: 6 }, 5), { kind: 'usable' });
    assert.deepEqual(tokenState({ revokedAt: null, expiresAt: 5 }, 5), { kind: 'expired' });
    assert.deepEqual(tokenState({ revokedAt: 1, expiresAt: 6 }, 5), { kind: 'revoked' });
    assert.deepEqual(tokenState({ revokedAt: 1, expiresAt: 2 }, 5), { kind: 'revoked' }, 'revocation is the stronger reason');
  });

  test('a session is usable until its expiry (exclusive)', () => {
    assert.deepEqual(sessionState({ expiresAt: 10 }, 9), { kind: 'usable' });
    assert.deepEqual(sessionState({ expiresAt: 10 }, 10), { kind: 'expired' });
  });

  test("a token's last use is written at most once per interval", () => {
    assert.equal(shouldRecordTokenUse(null, 0), true);
    assert.equal(shouldRecordTokenUse(1_000, 1_000 + tokenUseRecordIntervalMs - 1), false);
    assert.equal(shouldRecordTokenUse(1_000, 1_000 + tokenUseRecordIntervalMs), true);
  });

  test('expiry in days, or none', () => {
    assert.equal(tokenExpiry(1_000, undefined), null);
    assert.equal(tokenExpiry(1_000, 2), 1_000 + 2 * 86_400_000);
  });
});

import assert from 'node:assert/strict';
import { inspect } from 'node:util';
import { test } from 'node:test';
import { describeDatabaseUrl } from '../../src/core/database-url.js';
import { Secret } from '../../src/core/secret.js';

test('a secret never shows its value when serialised, interpolated or inspected', () => {
  const secret = new Secret('hunter2');
  const holder = { db: { url: secret } };
  assert.equal(secret.reveal(), 'hunter2');
  assert.doesNotMatch(JSON.stringify(holder), /hunter2/);
  assert.doesNotMatch(`${secret}`, /hunter2/);
  assert.doesNotMatch(inspect(holder, { depth: 5 }), /hunter2/);
});

test('a database URL is described without its password', () => {
  assert.equal(describeDatabaseUrl('postgres://gennaker:s3cr%40t@db.example:5433/cd'), 'postgres://gennaker@db.example:5433/cd');
  assert.equal(describeDatabaseUrl('postgresql://db/cd'), 'postgresql://db/cd');
  assert.equal(describeDatabaseUrl('not a url'), '(unparseable database URL)');
});

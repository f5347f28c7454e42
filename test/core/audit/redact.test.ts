import assert from 'node:assert/strict';
import { test } from 'node:test';
import { redactedSummary, redactSecrets } from '../../../src/core/audit/redact.js';
import { Secret } from '../../../src/core/secret.js';

test('credentials are redacted at any depth, whatever their case or prefix', () => {
  const input = {
    name: 'checkout',
    password: 'hunter2',
    user: { apiToken: 'gnk_1', Authorization: 'Bearer x', nested: [{ clientSecret: 's', ok: 1 }] },
    headers: { Cookie: 'a=b', 'set-cookie': 'c', 'X-Api-Key': 'k', accept: 'json' },
    privateKey: 'pem',
  };
  assert.deepEqual(redactSecrets(input), {
    name: 'checkout',
    password: '[redacted]',
    user: { apiToken: '[redacted]', Authorization: '[redacted]', nested: [{ clientSecret: '[redacted]', ok: 1 }] },
    headers: { Cookie: '[redacted]', 'set-cookie': '[redacted]', 'X-Api-Key': '[redacted]', accept: 'json' },
    privateKey: '[redacted]',
  });
  assert.deepEqual(input.user.nested[0], { clientSecret: 's', ok: 1 }, 'the input is left as it was');
});

test('values become plain JSON data: undefined dropped, Secret hidden, non-objects kept under value', () => {
  assert.deepEqual(redactSecrets({ a: undefined, b: new Secret('x'), c: [undefined] }), { b: '[redacted]', c: [null] });
  assert.equal(redactSecrets(undefined), null);
  assert.deepEqual(redactedSummary('a sentence'), { value: 'a sentence' });
  assert.deepEqual(redactedSummary([1]), { value: [1] });
  assert.deepEqual(redactedSummary({ token: 't' }), { token: '[redacted]' });
});

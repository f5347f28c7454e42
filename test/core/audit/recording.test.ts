import assert from 'node:assert/strict';
import { test } from 'node:test';
import { auditDraft } from '../../../src/core/audit/draft.js';
import { redactedSummary, redactSecrets, summaryDepthLimit, tooDeep } from '../../../src/core/audit/redact.js';
import { retryDelayMs } from '../../../src/core/audit/webhook-retry.js';
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

test('a draft takes the time from the clock when absent, the application from an application target, and redacts the summary', () => {
  assert.deepEqual(auditDraft({ actor: 'alice', action: 'application.update', target: { type: 'application', id: 'shop' }, summary: { after: { token: 't' } } }, 42), {
    time: 42,
    actor: 'alice',
    action: 'application.update',
    target: { type: 'application', id: 'shop' },
    application: 'shop',
    summary: { after: { token: '[redacted]' } },
    executionId: null,
  });
  const explicit = auditDraft({ actor: 'system', action: 'cloud.resizeServerGroup', target: { type: 'serverGroup', id: 'local/us-east/shop-v001' }, application: 'shop', executionId: 'e1', time: 7 }, 42);
  assert.deepEqual([explicit.time, explicit.application, explicit.executionId, explicit.summary], [7, 'shop', 'e1', {}]);
  assert.equal(auditDraft({ actor: 'a', action: 'b', target: { type: 'user', id: 'bob' } }, 1).application, null);
});

test('webhook retries wait twice as long each time, from the minimum up to the cap', () => {
  assert.deepEqual(
    [1, 2, 3, 4, 5, 6].map((failures) => retryDelayMs(failures, 100, 1_000)),
    [100, 200, 400, 800, 1_000, 1_000],
  );
  assert.equal(retryDelayMs(10_000, 1_000, 60_000), 60_000);
  assert.equal(retryDelayMs(0, 50, 60_000), 50);
});

test('a body nested thousands deep is cut at the summary depth limit instead of overflowing the stack', () => {
  let deep: unknown = 'bottom';
  for (let level = 0; level < 20_000; level += 1) deep = level % 2 === 0 ? [deep] : { a: deep };
  let summary = redactSecrets({ body: deep }) as Record<string, unknown>;
  let depth = 0;
  while (summary !== null && typeof summary === 'object') {
    summary = (Array.isArray(summary) ? summary[0] : (summary['body'] ?? summary['a'])) as Record<string, unknown>;
    depth += 1;
  }
  assert.equal(summary, tooDeep);
  assert.equal(depth, summaryDepthLimit);
});

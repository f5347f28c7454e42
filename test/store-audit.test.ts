import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { after, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { AuditTrail } from '../src/app/audit-trail.js';
import { genesisHash, verifyChain } from '../src/core/audit/chain.js';
import { sha256Hex } from '../src/store/audit.js';
import { engineFixtures, openAt } from './support/store-engines.js';

const execFileAsync = promisify(execFile);
const appendChild = fileURLToPath(new URL('./support/audit-append-child.js', import.meta.url));

for (const fixture of engineFixtures()) {
  describe(`audit trail on ${fixture.engine}`, () => {
    after(() => fixture.teardown());

    test('events are sealed in order from the genesis hash, stored whole and verify', async () => {
      let clock = 1_700_000_000_000;
      const store = await openAt(await fixture.freshLocation());
      const trail = new AuditTrail(store, () => clock++);
      try {
        assert.equal(await store.audit.head(), undefined);
        await trail.record({ actor: 'alice', action: 'application.create', target: { type: 'application', id: 'shop' }, summary: { after: { owner: 'ops', apiToken: 'gnk_x', unicode: 'zürich ☃', list: [1, null] } } });
        await trail.record({ actor: 'system', action: 'pipeline.start', target: { type: 'pipeline', id: 'p1' }, application: 'shop', executionId: 'e1', time: 5 });
        await trail.record({ actor: 'bob', action: 'user.create', target: { type: 'user', id: 'carol' }, summary: { password: 'hunter2' } });
        const events = await store.audit.list({ limit: 10 });
        assert.deepEqual(events[0], {
          seq: 1,
          time: 1_700_000_000_000,
          actor: 'alice',
          action: 'application.create',
          target: { type: 'application', id: 'shop' },
          application: 'shop',
          summary: { after: { owner: 'ops', apiToken: '[redacted]', unicode: 'zürich ☃', list: [1, null] } },
          executionId: null,
          prevHash: genesisHash,
          hash: events[0]!.hash,
        });
        assert.deepEqual([events[1]!.time, events[1]!.executionId, events[1]!.prevHash], [5, 'e1', events[0]!.hash]);
        assert.deepEqual(events[2]!.summary, { password: '[redacted]' });
        assert.equal(events[2]!.application, null);
        assert.deepEqual(verifyChain(events, sha256Hex), { kind: 'intact', count: 3, head: { seq: 3, hash: events[2]!.hash } });
        assert.deepEqual(await store.audit.head(), { seq: 3, hash: events[2]!.hash });
      } finally {
        await store.close();
      }
    });

    test('filters by application, visible applications, actor, action and execution, and pages by seq', async () => {
      const store = await openAt(await fixture.freshLocation());
      const trail = new AuditTrail(store);
      try {
        for (let index = 0; index < 9; index++) {
          await trail.record({
            actor: index % 2 === 0 ? 'alice' : 'bob',
            action: index % 3 === 0 ? 'pipeline.start' : 'application.update',
            target: { type: 'application', id: ['shop', 'billing', 'infra'][index % 3]! },
            ...(index === 4 && { executionId: 'e4' }),
          });
        }
        await trail.record({ actor: 'alice', action: 'auth.login', target: { type: 'user', id: 'alice' } });
        const seqs = async (query: Parameters<typeof store.audit.list>[0]): Promise<number[]> => (await store.audit.list(query)).map((event) => event.seq);
        assert.deepEqual(await seqs({ limit: 100, application: 'shop' }), [1, 4, 7]);
        assert.deepEqual(await seqs({ limit: 100, visibleApplications: ['shop', 'billing'] }), [1, 2, 4, 5, 7, 8]);
        assert.deepEqual(await seqs({ limit: 100, visibleApplications: [] }), []);
        assert.deepEqual(await seqs({ limit: 100, actor: 'bob' }), [2, 4, 6, 8]);
        assert.deepEqual(await seqs({ limit: 100, action: 'pipeline.start' }), [1, 4, 7]);
        assert.deepEqual(await seqs({ limit: 100, executionId: 'e4' }), [5]);
        assert.deepEqual(await seqs({ limit: 4 }), [1, 2, 3, 4]);
        assert.deepEqual(await seqs({ limit: 4, afterSeq: 4 }), [5, 6, 7, 8]);
        assert.deepEqual(await seqs({ limit: 4, afterSeq: 8 }), [9, 10]);
        assert.deepEqual((await store.audit.applications()).sort(), ['billing', 'infra', 'shop']);
      } finally {
        await store.close();
      }
    });

    test('a sink cursor starts at 0 and remembers the furthest delivered seq', async () => {
      const store = await openAt(await fixture.freshLocation());
      try {
        assert.equal(await store.audit.sinkCursor('webhook'), 0);
        await store.audit.advanceSinkCursor('webhook', 3);
        await store.audit.advanceSinkCursor('webhook', 7);
        await store.audit.advanceSinkCursor('other', 1);
        await store.audit.advanceSinkCursor('webhook', 5);
        assert.equal(await store.audit.sinkCursor('webhook'), 7, 'never moves back');
        assert.equal(await store.audit.sinkCursor('other'), 1);
      } finally {
        await store.close();
      }
    });

    test('appends from one process at once, and from several processes at once, form one unbroken chain', async () => {
      const location = await fixture.freshLocation();
      const store = await openAt(location);
      try {
        const trail = new AuditTrail(store);
        await Promise.all(Array.from({ length: 20 }, (_, index) => trail.record({ actor: 'parent', action: 'test.append', target: { type: 'application', id: 'shop' }, summary: { index } })));
        const startAt = String(Date.now() + 1_500);
        await Promise.all(
          ['first', 'second', 'third'].map((actor) => execFileAsync(process.execPath, [appendChild, location.dataDir, location.databaseUrl ?? '', startAt, actor, '25'])),
        );
        const events = await store.audit.list({ limit: 500 });
        assert.deepEqual(verifyChain(events, sha256Hex), { kind: 'intact', count: 95, head: { seq: 95, hash: events.at(-1)!.hash } });
        const parentOrder = events.filter((event) => event.actor === 'parent').map((event) => event.summary['index']);
        assert.deepEqual(parentOrder, Array.from({ length: 20 }, (_, index) => index), 'one process appends in the order it recorded');
        for (const actor of ['first', 'second', 'third']) assert.equal(events.filter((event) => event.actor === actor).length, 25);
      } finally {
        await store.close();
      }
    });
  });
}

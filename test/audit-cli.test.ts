import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import BetterSqlite3 from 'better-sqlite3';
import pg from 'pg';
import { AuditTrail } from '../src/app/audit-trail.js';
import { seal, verifyChain, type AuditEvent } from '../src/core/audit/chain.js';
import { sha256Hex } from '../src/store/audit.js';
import { sqliteFileName } from '../src/store/sqlite.js';
import { runCli } from './support/cli.js';
import { engineFixtures, openAt, type StoreLocation } from './support/store-engines.js';

const eventCount = 6;

/** A store at a fresh location holding a trail of `eventCount` events. */
async function trailAt(location: StoreLocation): Promise<AuditEvent[]> {
  const store = await openAt(location);
  try {
    const trail = new AuditTrail(store);
    for (let index = 1; index <= eventCount; index++) {
      await trail.record({ actor: `user${index}`, action: 'application.update', target: { type: 'application', id: 'shop' }, summary: { after: { description: `version ${index}` } } });
    }
    return await store.audit.list({ limit: 100 });
  } finally {
    await store.close();
  }
}

/** Runs statements straight on the database, behind Gennaker's back, as someone with access to it would. */
async function tamper(location: StoreLocation, statements: readonly { text: string; values?: readonly unknown[] }[]): Promise<void> {
  if (location.databaseUrl === undefined) {
    const database = new BetterSqlite3(join(location.dataDir, sqliteFileName));
    try {
      for (const statement of statements) database.prepare(statement.text.replace(/\$\d+/g, '?')).run(...(statement.values ?? []));
    } finally {
      database.close();
    }
    return;
  }
  const client = new pg.Client({ connectionString: location.databaseUrl });
  await client.connect();
  try {
    for (const statement of statements) await client.query(statement.text, [...(statement.values ?? [])]);
  } finally {
    await client.end();
  }
}

function storeArgs(location: StoreLocation): string[] {
  return ['--data', location.dataDir, ...(location.databaseUrl === undefined ? [] : ['--db', location.databaseUrl]), '--log-level', 'silent'];
}

async function verify(location: StoreLocation): Promise<{ code: number; output: string }> {
  const result = await runCli(['audit', 'verify', ...storeArgs(location)]);
  return { code: result.code, output: result.stdout + result.stderr };
}

/** Moves events from `from` on up (+) or down (−) by `shift`, through a detour so the primary key never collides. */
function renumber(from: number, shift: number): { text: string }[] {
  return [
    { text: `update audit_events set seq = seq + 1000000 where seq >= ${from}` },
    { text: `update audit_events set seq = seq - 1000000 + ${shift} where seq >= 1000000` },
  ];
}

for (const fixture of engineFixtures()) {
  describe(`gennaker audit verify and export on ${fixture.engine}`, () => {
    after(() => fixture.teardown());

    test('an untouched trail verifies', async () => {
      const location = await fixture.freshLocation();
      await trailAt(location);
      assert.deepEqual(await verify(location), { code: 0, output: `audit trail intact: ${eventCount} events\n` });
    });

    test('editing a field of an event is named at that event', async () => {
      const location = await fixture.freshLocation();
      await trailAt(location);
      await tamper(location, [{ text: "update audit_events set actor = 'mallory' where seq = 3" }]);
      const { code, output } = await verify(location);
      assert.equal(code, 1);
      assert.match(output, /audit trail broken at event 3 \(edited\)/);
    });

    test('deleting an event is named at its seq, with or without renumbering the rest', async () => {
      const gap = await fixture.freshLocation();
      await trailAt(gap);
      await tamper(gap, [{ text: 'delete from audit_events where seq = 4' }]);
      const left = await verify(gap);
      assert.equal(left.code, 1);
      assert.match(left.output, /audit trail broken at event 4 \(deleted\): event 4 is missing/);

      const closed = await fixture.freshLocation();
      await trailAt(closed);
      await tamper(closed, [{ text: 'delete from audit_events where seq = 4' }, ...renumber(5, -1)]);
      const renumbered = await verify(closed);
      assert.equal(renumbered.code, 1);
      assert.match(renumbered.output, /audit trail broken at event 4 \(deleted\)/);
    });

    test('a forged event with a correctly computed hash, inserted in the middle, is named', async () => {
      const location = await fixture.freshLocation();
      const events = await trailAt(location);
      const forged = seal(sha256Hex, events[2], {
        time: events[2]!.time + 1,
        actor: 'mallory',
        action: 'application.update',
        target: { type: 'application', id: 'shop' },
        application: 'shop',
        summary: { after: { owner: 'mallory' } },
        executionId: null,
      });
      await tamper(location, [
        ...renumber(4, 1),
        {
          text: 'insert into audit_events (seq, time, actor, action, target_type, target_id, application, summary, execution_id, prev_hash, hash) values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)',
          values: [forged.seq, forged.time, forged.actor, forged.action, forged.target.type, forged.target.id, forged.application, JSON.stringify(forged.summary), null, forged.prevHash, forged.hash],
        },
      ]);
      const { code, output } = await verify(location);
      assert.equal(code, 1);
      assert.equal(forged.seq, 4);
      assert.match(output, /audit trail broken at event 4 \(inserted\)/);
    });

    test('swapping two events is named at the first of them', async () => {
      const location = await fixture.freshLocation();
      await trailAt(location);
      await tamper(location, [
        { text: 'update audit_events set seq = -2 where seq = 2' },
        { text: 'update audit_events set seq = 2 where seq = 3' },
        { text: 'update audit_events set seq = 3 where seq = -2' },
      ]);
      const { code, output } = await verify(location);
      assert.equal(code, 1);
      assert.match(output, /audit trail broken at event 2 \(reordered\)/);
    });

    test('export writes every event as one JSON line, to a file or standard output, and --since skips what you hold', async () => {
      const location = await fixture.freshLocation();
      const events = await trailAt(location);
      const dir = await mkdtemp(join(tmpdir(), 'gennaker-export-'));
      try {
        const out = join(dir, 'audit.jsonl');
        const written = await runCli(['audit', 'export', ...storeArgs(location), '--out', out]);
        assert.equal(written.code, 0, written.stderr);
        const lines = (await readFile(out, 'utf8')).split('\n');
        assert.equal(lines.pop(), '', 'the file ends with a newline');
        const exported = lines.map((line) => JSON.parse(line) as AuditEvent);
        assert.deepEqual(exported, events);
        assert.deepEqual(verifyChain(exported, sha256Hex).kind, 'intact');

        const tail = await runCli(['audit', 'export', ...storeArgs(location), '--since', '4']);
        assert.equal(tail.code, 0, tail.stderr);
        assert.deepEqual(
          tail.stdout.trim().split('\n').map((line) => (JSON.parse(line) as AuditEvent).seq),
          [5, 6],
        );
        const refused = await runCli(['audit', 'export', ...storeArgs(location), '--since', 'yesterday']);
        assert.equal(refused.code, 1);
        assert.match(refused.stderr, /--since: expected a seq/);
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    });
  });
}

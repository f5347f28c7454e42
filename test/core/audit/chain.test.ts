import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { test } from 'node:test';
import {
  canonicalJson,
  genesisHash,
  hashOf,
  seal,
  verifyChain,
  type AuditEvent,
  type AuditEventDraft,
  type ChainVerdict,
} from '../../../src/core/audit/chain.js';

const sha256 = (text: string): string => createHash('sha256').update(text, 'utf8').digest('hex');

function draft(index: number): AuditEventDraft {
  return {
    time: 1_700_000_000_000 + index,
    actor: index % 2 === 0 ? 'alice' : 'system',
    action: 'application.update',
    target: { type: 'application', id: `app${index % 3}` },
    application: `app${index % 3}`,
    summary: { after: { description: `change ${index}`, nested: { b: 1, a: [index, null] } } },
    executionId: index % 4 === 0 ? null : `execution-${index}`,
  };
}

function chainOf(length: number): AuditEvent[] {
  const events: AuditEvent[] = [];
  for (let index = 0; index < length; index++) events.push(seal(sha256, events.at(-1), draft(index)));
  return events;
}

/** Renumbers positions from `from` on by `shift`, as an UPDATE of the seq column would. */
function renumber(events: readonly AuditEvent[], from: number, shift: number): AuditEvent[] {
  return events.map((event, position) => (position >= from ? { ...event, seq: event.seq + shift } : event));
}

function brokenAt(verdict: ChainVerdict): { seq: number; problem: string } {
  assert.equal(verdict.kind, 'broken', JSON.stringify(verdict));
  return verdict.kind === 'broken' ? { seq: verdict.seq, problem: verdict.problem } : { seq: -1, problem: '' };
}

test('canonical JSON sorts keys at every depth, keeps array order and drops undefined members', () => {
  assert.equal(canonicalJson({ b: 1, a: { d: [3, { z: 1, y: 2 }], c: undefined } }), '{"a":{"d":[3,{"y":2,"z":1}]},"b":1}');
  assert.equal(canonicalJson({ a: 1, b: 2 }), canonicalJson({ b: 2, a: 1 }));
  assert.equal(canonicalJson([undefined, 'x"y', -0, null]), '[null,"x\\"y",0,null]');
  assert.equal(canonicalJson('ü'), '"ü"');
});

test('sealing starts from 64 zeros and links each event to the hash of the one before', () => {
  const events = chainOf(3);
  assert.equal(genesisHash, '0'.repeat(64));
  assert.deepEqual(
    events.map((event) => event.seq),
    [1, 2, 3],
  );
  assert.equal(events[0]!.prevHash, genesisHash);
  assert.equal(events[1]!.prevHash, events[0]!.hash);
  assert.equal(events[2]!.prevHash, events[1]!.hash);
  const { hash, ...rest } = events[1]!;
  assert.equal(hash, sha256(events[0]!.hash + canonicalJson(rest)));
  assert.match(hash, /^[0-9a-f]{64}$/);
});

test('the hash does not depend on the order keys were written in', () => {
  const event = chainOf(1)[0]!;
  const shuffled = { hash: event.hash, prevHash: event.prevHash, executionId: event.executionId, summary: event.summary, application: event.application, target: { id: event.target.id, type: event.target.type }, action: event.action, actor: event.actor, time: event.time, seq: event.seq };
  assert.equal(hashOf(sha256, shuffled), event.hash);
});

test('an untouched chain is intact, with its count and head; an empty one too', () => {
  const events = chainOf(6);
  assert.deepEqual(verifyChain(events, sha256), { kind: 'intact', count: 6, head: { seq: 6, hash: events[5]!.hash } });
  assert.deepEqual(verifyChain([], sha256), { kind: 'intact', count: 0, head: undefined });
});

const fields: readonly ((event: AuditEvent) => AuditEvent)[] = [
  (event) => ({ ...event, time: event.time + 1 }),
  (event) => ({ ...event, actor: 'mallory' }),
  (event) => ({ ...event, action: 'application.delete' }),
  (event) => ({ ...event, target: { ...event.target, id: 'other' } }),
  (event) => ({ ...event, application: null }),
  (event) => ({ ...event, summary: { after: 'nothing' } }),
  (event) => ({ ...event, executionId: 'forged' }),
  (event) => ({ ...event, prevHash: event.hash }),
  (event) => ({ ...event, hash: sha256('forged') }),
];

test('editing any field of any event is found at that event', () => {
  const events = chainOf(5);
  for (let position = 0; position < events.length; position++) {
    fields.forEach((edit, field) => {
      const tampered = events.map((event, at) => (at === position ? edit(event) : event));
      assert.deepEqual(brokenAt(verifyChain(tampered, sha256)), { seq: position + 1, problem: 'edited' }, `field ${field} at ${position}`);
    });
  }
});

test('renumbering the whole chain is an edit of its first event', () => {
  const shifted = renumber(chainOf(4), 0, 10);
  assert.deepEqual(brokenAt(verifyChain(shifted, sha256)), { seq: 11, problem: 'edited' });
});

test('deleting any event is found at its seq, whether or not later events were renumbered', () => {
  const events = chainOf(6);
  for (let position = 0; position < events.length - 1; position++) {
    const removed = events.filter((_, at) => at !== position);
    assert.deepEqual(brokenAt(verifyChain(removed, sha256)), { seq: position + 1, problem: 'deleted' }, `gap at ${position}`);
    const closed = renumber(removed, position, -1);
    assert.deepEqual(brokenAt(verifyChain(closed, sha256)), { seq: position + 1, problem: 'deleted' }, `renumbered at ${position}`);
  }
});

test('deleting a run of events is found at the first of them', () => {
  const events = chainOf(8);
  const removed = [...events.slice(0, 2), ...events.slice(5)];
  assert.deepEqual(brokenAt(verifyChain(removed, sha256)), { seq: 3, problem: 'deleted' });
  assert.deepEqual(brokenAt(verifyChain(renumber(removed, 2, -3), sha256)), { seq: 3, problem: 'deleted' });
});

test('a forged event with a correctly computed hash, inserted anywhere, is named', () => {
  const events = chainOf(6);
  for (let position = 0; position < events.length; position++) {
    const before = position === 0 ? undefined : events[position - 1];
    const forged = seal(sha256, before, { ...draft(99), actor: 'mallory' });
    const inserted = [...events.slice(0, position), forged, ...renumber(events.slice(position), 0, 1)];
    assert.deepEqual(brokenAt(verifyChain(inserted, sha256)), { seq: position + 1, problem: 'inserted' }, `inserted at ${position}`);
  }
});

test('swapping any two neighbours, or two events apart, is found at the first moved position', () => {
  const events = chainOf(6);
  for (let first = 0; first < events.length - 1; first++) {
    for (const second of [first + 1, first + 2].filter((at) => at < events.length)) {
      // Swapping the seq values moves each event's content to the other's position.
      const swapped = events.map((event, at) => (at === first ? { ...events[second]!, seq: event.seq } : at === second ? { ...events[first]!, seq: event.seq } : event));
      assert.deepEqual(brokenAt(verifyChain(swapped, sha256)), { seq: first + 1, problem: 'reordered' }, `swap ${first}/${second}`);
    }
  }
});

test('replacing an event by a forgery that keeps its link and recomputes its hash is found at the forgery', () => {
  const events = chainOf(5);
  const forged = seal(sha256, events[1], { ...draft(2), actor: 'mallory' });
  const replaced = events.map((event, at) => (at === 2 ? forged : event));
  assert.deepEqual(brokenAt(verifyChain(replaced, sha256)), { seq: 3, problem: 'relinked' });
});

test('a chain that does not start at 1 is missing its beginning', () => {
  const events = chainOf(4).slice(1);
  assert.deepEqual(brokenAt(verifyChain(events, sha256)), { seq: 1, problem: 'deleted' });
});

test('the verdict explains itself in words', () => {
  const events = chainOf(3);
  const verdict = verifyChain(events.map((event, at) => (at === 1 ? { ...event, actor: 'x' } : event)), sha256);
  assert.equal(verdict.kind === 'broken' && verdict.detail, 'event 2 does not match its hash: its content was changed');
});

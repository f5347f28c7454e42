import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ServerGroup } from '../../src/core/cloud/index.js';
import {
  applicationFilterOf,
  EventJournal,
  heartbeatComment,
  liveEventOfEngine,
  liveEventOfResource,
  passesFilter,
  serverSentEvent,
  type LiveEvent,
} from '../../src/core/live/index.js';

const ids = (resume: ReturnType<EventJournal<string>['resume']>): string[] => (resume.kind === 'replay' ? resume.entries.map((entry) => entry.id) : []);

test('journal ids carry the boot id and a sequence that starts at 1', () => {
  const journal = new EventJournal<string>('boot1', 3);
  assert.equal(journal.latestId, 'boot1.0');
  assert.deepEqual(journal.append('a'), { id: 'boot1.1', seq: 1, event: 'a' });
  assert.equal(journal.append('b').id, 'boot1.2');
  assert.equal(journal.latestId, 'boot1.2');
});

test('journal keeps only the newest `capacity` events, oldest first', () => {
  const journal = new EventJournal<string>('b', 3);
  assert.deepEqual(journal.retained(), []);
  for (const event of ['a', 'b', 'c', 'd', 'e']) journal.append(event);
  assert.equal(journal.size, 3);
  assert.deepEqual(
    journal.retained().map((entry) => entry.event),
    ['c', 'd', 'e'],
  );
});

test('a new client (no id) gets live events only', () => {
  const journal = new EventJournal<string>('b', 3);
  journal.append('a');
  assert.deepEqual(journal.resume(undefined), { kind: 'live' });
});

test('resuming replays exactly the events after the id, for every id still covered', () => {
  const journal = new EventJournal<string>('b', 4);
  for (const event of ['a', 'b', 'c', 'd', 'e', 'f']) journal.append(event);
  // Retained: seq 3..6. An id of seq 2 is covered too: everything after it is retained.
  assert.deepEqual(ids(journal.resume('b.2')), ['b.3', 'b.4', 'b.5', 'b.6']);
  assert.deepEqual(ids(journal.resume('b.4')), ['b.5', 'b.6']);
  assert.deepEqual(journal.resume('b.6'), { kind: 'replay', entries: [] });
});

test('resuming from an id whose successors were dropped is a reset (too old)', () => {
  const journal = new EventJournal<string>('b', 4);
  for (const event of ['a', 'b', 'c', 'd', 'e', 'f']) journal.append(event);
  assert.deepEqual(journal.resume('b.1'), { kind: 'reset', reason: 'tooOld' });
  assert.deepEqual(journal.resume('b.0'), { kind: 'reset', reason: 'tooOld' });
});

test('an id of another boot, or beyond the newest of this one, is a reset (other boot)', () => {
  const journal = new EventJournal<string>('now', 4);
  journal.append('a');
  assert.deepEqual(journal.resume('before.1'), { kind: 'reset', reason: 'otherBoot' });
  assert.deepEqual(journal.resume('now.2'), { kind: 'reset', reason: 'otherBoot' });
});

test('an empty journal resumes its own start without a reset', () => {
  const journal = new EventJournal<string>('b', 2);
  assert.deepEqual(journal.resume('b.0'), { kind: 'replay', entries: [] });
});

test('malformed ids are a reset', () => {
  const journal = new EventJournal<string>('b', 2);
  for (const id of ['', '7', 'b.', '.3', 'b.x', 'b.-1', 'b.1.5x', 'b.1e3', 'b.9999999999999999']) {
    assert.deepEqual(journal.resume(id), { kind: 'reset', reason: 'malformedId' }, id);
  }
});

test('a boot id may not contain the separator, and the capacity must be positive', () => {
  assert.throws(() => new EventJournal('a.b', 2), /boot id/);
  assert.throws(() => new EventJournal('a', 0), /capacity/);
  assert.throws(() => new EventJournal('a', 1.5), /capacity/);
});

const group = (name: string, application: string): ServerGroup => ({
  account: 'local',
  region: 'us-east',
  name,
  cluster: name.replace(/-v\d{3}$/, ''),
  application,
  capacity: { min: 0, max: 0, desired: 0 },
  enabled: true,
  launch: {
    artifact: { name: 'hello', version: '1', location: '/tmp' },
    command: ['node'],
    env: {},
    healthCheck: { path: '/health', intervalMs: 100, timeoutMs: 100, healthyThreshold: 1, unhealthyThreshold: 1 },
  },
  loadBalancers: [],
  instances: [],
  createdAt: 1,
});

test('engine events become execution and stage events with their application; task events stay inside', () => {
  assert.deepEqual(liveEventOfEngine({ kind: 'execution', application: 'a', executionId: 'e', status: 'RUNNING', at: 5 }), {
    type: 'execution',
    application: 'a',
    executionId: 'e',
    status: 'RUNNING',
    at: 5,
  });
  assert.deepEqual(liveEventOfEngine({ kind: 'stage', application: 'a', executionId: 'e', stageId: 's', refId: '1', status: 'SUCCEEDED', at: 6 }), {
    type: 'stage',
    application: 'a',
    executionId: 'e',
    stageId: 's',
    refId: '1',
    status: 'SUCCEEDED',
    at: 6,
  });
  assert.equal(liveEventOfEngine({ kind: 'task', application: 'a', executionId: 'e', stageId: 's', taskId: 't', status: 'RUNNING', at: 6 }), undefined);
});

test('inventory changes name their application: the group’s own, else the name’s first part', () => {
  const serverGroup = group('shop-web-v001', 'shop');
  assert.deepEqual(liveEventOfResource({ kind: 'serverGroupUpserted', serverGroup }), { type: 'serverGroup', application: 'shop', serverGroup });
  assert.deepEqual(liveEventOfResource({ kind: 'serverGroupRemoved', account: 'local', region: 'r', name: 'shop-web-v001' }), {
    type: 'serverGroupRemoved',
    application: 'shop',
    account: 'local',
    region: 'r',
    name: 'shop-web-v001',
  });
  const loadBalancer = { account: 'local', region: 'r', name: 'shop-frontend', address: '127.0.0.1:1' };
  assert.deepEqual(liveEventOfResource({ kind: 'loadBalancerUpserted', loadBalancer }), { type: 'loadBalancer', application: 'shop', loadBalancer });
  assert.deepEqual(liveEventOfResource({ kind: 'loadBalancerRemoved', account: 'local', region: 'r', name: 'bad name!' }), {
    type: 'loadBalancerRemoved',
    application: null,
    account: 'local',
    region: 'r',
    name: 'bad name!',
  });
});

test('the application filter: absent passes all, a list passes its members, events without an application pass none', () => {
  const event = (application: string | null): LiveEvent => ({ type: 'loadBalancerRemoved', application, account: 'x', region: 'y', name: 'z' });
  assert.equal(applicationFilterOf(undefined), undefined);
  assert.deepEqual(applicationFilterOf(' a,,b ,'), new Set(['a', 'b']));
  assert.deepEqual(applicationFilterOf(''), new Set());
  assert.equal(passesFilter(event('a'), undefined), true);
  assert.equal(passesFilter(event(null), undefined), true);
  assert.equal(passesFilter(event('a'), new Set(['a', 'b'])), true);
  assert.equal(passesFilter(event('c'), new Set(['a', 'b'])), false);
  assert.equal(passesFilter(event(null), new Set(['a'])), false);
  assert.equal(passesFilter(event('a'), new Set()), false);
});

test('server-sent event framing: id, event and one JSON data line, blank-line terminated', () => {
  assert.equal(serverSentEvent({ id: 'b.1', event: 'stage', data: { text: 'two\nlines' } }), 'id: b.1\nevent: stage\ndata: {"text":"two\\nlines"}\n\n');
  assert.equal(serverSentEvent({ data: 1 }), 'data: 1\n\n');
  assert.equal(serverSentEvent({ id: 7, data: null }), 'id: 7\ndata: null\n\n');
  assert.match(heartbeatComment, /^:[^\n]*\n\n$/);
});

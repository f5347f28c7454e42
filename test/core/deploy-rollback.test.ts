import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { crashLoopInstances, healthSummary, upTimeoutReason, upVerdict } from '../../src/core/deploy/new-group-health.js';
import { rollbackChoice } from '../../src/core/deploy/rollback.js';
import { instance, serverGroup } from './cloud-fixtures.js';

const where = 'cluster hello in local/us-east';

describe('rollbackChoice', () => {
  const v1 = serverGroup('hello-v001', { createdAt: 1_000, enabled: false });
  const v2 = serverGroup('hello-v002', { createdAt: 2_000 });
  const v3 = serverGroup('hello-v003', { createdAt: 3_000 });

  test('takes the newest out and restores the one before it', () => {
    assert.deepEqual(rollbackChoice([v1, v3, v2], {}, where), { kind: 'rollback', latest: 'hello-v003', restore: 'hello-v002' });
  });

  test('explicit names win; unknown names are refused, naming them', () => {
    assert.deepEqual(rollbackChoice([v1, v2, v3], { rollbackServerGroupName: 'hello-v002', restoreServerGroupName: 'hello-v001' }, where), {
      kind: 'rollback',
      latest: 'hello-v002',
      restore: 'hello-v001',
    });
    assert.deepEqual(rollbackChoice([v1, v2], { rollbackServerGroupName: 'hello-v009' }, where), { kind: 'refused', reason: `${where} has no server group hello-v009` });
    assert.equal(rollbackChoice([v1, v2], { restoreServerGroupName: 'hello-v002' }, where).kind, 'refused');
  });

  test('a failed deploy’s rollback leaves a cluster alone when the deploy created nothing', () => {
    assert.deepEqual(rollbackChoice([v1, v2], { latestCreatedSince: 2_500 }, where), {
      kind: 'nothing',
      reason: `${where}: the deploy created no server group (newest is hello-v002, older than the deploy)`,
    });
    assert.deepEqual(rollbackChoice([v1, v2, v3], { latestCreatedSince: 2_500 }, where), { kind: 'rollback', latest: 'hello-v003', restore: 'hello-v002' });
  });

  test('a first deploy has nothing to restore but is still taken out', () => {
    assert.deepEqual(rollbackChoice([v3], {}, where), { kind: 'rollback', latest: 'hello-v003' });
    assert.deepEqual(rollbackChoice([], {}, where), { kind: 'nothing', reason: `${where} has no server groups` });
  });
});

describe('a new server group’s health', () => {
  const capacity = { min: 2, max: 2, desired: 2 };

  test('up once as many instances are Up as it wants', () => {
    const group = serverGroup('hello-v003', { capacity, instances: [instance('hello-v003', 'i1'), instance('hello-v003', 'i2')] });
    assert.deepEqual(upVerdict(group, 'hello-v003', []), { kind: 'up' });
  });

  test('failing health checks keep it waiting; the timeout names each instance and why', () => {
    const group = serverGroup('hello-v003', {
      capacity,
      instances: [instance('hello-v003', 'i1', { health: 'Down', reason: 'failing health checks' }), instance('hello-v003', 'i2', { health: 'Starting' })],
    });
    assert.deepEqual(upVerdict(group, 'hello-v003', []), { kind: 'waiting', crashed: [] });
    assert.equal(healthSummary(group), '0 of 2 instances Up; i1 Down: failing health checks (/health); i2 Starting');
    assert.equal(upTimeoutReason(group, 'hello-v003', 60), 'server group hello-v003: 0 of 2 instances Up; i1 Down: failing health checks (/health); i2 Starting after 60 s');
    assert.equal(upTimeoutReason(undefined, 'hello-v003', 60), 'server group hello-v003 is gone');
  });

  test('crashes are remembered across looks; enough distinct ones are a crash loop', () => {
    const crashedNow = serverGroup('hello-v003', { capacity, instances: [instance('hello-v003', 'i3', { health: 'Down', reason: 'exited with code 1' })] });
    const first = upVerdict(crashedNow, 'hello-v003', ['i1']);
    assert.deepEqual(first, { kind: 'waiting', crashed: ['i1', 'i3'] });
    const again = upVerdict(crashedNow, 'hello-v003', ['i1', 'i3']);
    assert.deepEqual(again, { kind: 'waiting', crashed: ['i1', 'i3'] }, 'the same crash seen twice counts once');
    const third = serverGroup('hello-v003', { capacity, instances: [instance('hello-v003', 'i4', { health: 'Down', reason: 'exited with code 1' })] });
    const verdict = upVerdict(third, 'hello-v003', ['i1', 'i3']);
    assert.equal(crashLoopInstances, 3);
    assert.deepEqual(verdict, { kind: 'failed', reason: 'server group hello-v003 is crash-looping (3 instances exited): 0 of 2 instances Up; i4 Down: exited with code 1' });
    assert.deepEqual(upVerdict(undefined, 'hello-v003', []), { kind: 'failed', reason: 'server group hello-v003 is gone' });
  });
});

import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { daemonAnnouncementSchema, type ServerGroup } from '../src/core/cloud/index.js';
import { bootstrapAdminToken } from './support/api-server.js';
import { startServer, type RunningServer } from './support/cli.js';
import { openEventStream, type EventStreamClient } from './support/event-stream.js';
import { helloLaunch, killServedCloud } from './support/localcloud.js';

const dataDir = mkdtempSync(join(tmpdir(), 'gennaker-events-inventory-'));
const servers: RunningServer[] = [];
after(() => killServedCloud(dataDir, servers));

const groupOf = (stream: EventStreamClient, predicate: (group: ServerGroup) => boolean, what: string): Promise<unknown> =>
  stream.waitFor((event) => event.event === 'serverGroup' && predicate((JSON.parse(event.data) as { serverGroup: ServerGroup }).serverGroup), what);

test('changes in the local cloud reach the stream: a server group, its instance coming up, its removal', { timeout: 60_000 }, async () => {
  const server = await startServer(['--data', dataDir, '--local-cloud', 'on']);
  servers.push(server);
  const daemon = daemonAnnouncementSchema.parse(JSON.parse(readFileSync(join(dataDir, 'localcloud', 'daemon.json'), 'utf8')));
  const operate = async (clientToken: string, operation: Record<string, unknown>): Promise<void> => {
    const response = await fetch(`${daemon.url}/v1/operations`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ clientToken, operation: { account: 'local', region: 'us-east', ...operation } }),
    });
    assert.equal(response.status, 200, await response.text());
  };
  const token = await bootstrapAdminToken(server.url, dataDir);
  const stream = await openEventStream(`${server.url}/api/events?application=inv`, { authorization: `Bearer ${token}` }, 45_000);
  try {
    await operate('create', { type: 'createServerGroup', application: 'inv', stack: 'web', capacity: { min: 1, max: 1, desired: 1 }, launch: helloLaunch() });
    await groupOf(stream, (group) => group.name === 'inv-web-v000', 'the new group');
    await groupOf(stream, (group) => group.instances.some((instance) => instance.health === 'Up'), 'its instance Up');
    await operate('destroy', { type: 'destroyServerGroup', serverGroup: 'inv-web-v000' });
    const removed = await stream.waitFor((event) => event.event === 'serverGroupRemoved', 'the removal');
    assert.deepEqual(JSON.parse(removed.data), { type: 'serverGroupRemoved', application: 'inv', account: 'local', region: 'us-east', name: 'inv-web-v000' });
    assert.ok(stream.events.every((event) => (JSON.parse(event.data) as { application: string }).application === 'inv'));
  } finally {
    stream.close();
  }
});

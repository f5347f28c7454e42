import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import type { AuditEvent } from '../src/core/audit/chain.js';
import { initialAdminUser } from '../src/app/initial-admin.js';
import { runCli, startServer, type RunningServer } from './support/cli.js';
import { killServedCloud } from './support/localcloud.js';

const dataDir = mkdtempSync(join(tmpdir(), 'gennaker-audit-demo-'));
const servers: RunningServer[] = [];
after(() => killServedCloud(dataDir, servers));

/** Bounded wait for the demo deploy's outcome line. */
async function demoFinished(server: RunningServer): Promise<void> {
  for (let attempt = 0; attempt < 300; attempt += 1) {
    if (/demo: hello-service is serving at/.test(server.output())) return;
    if (/demo: the deploy/.test(server.output())) assert.fail(`the demo deploy failed:\n${server.output()}`);
    await sleep(100);
  }
  assert.fail(`the demo never finished:\n${server.output()}`);
}

test('a deploy on the local cloud through the shipped server leaves its execution, stage and cloud operations in a trail that verifies', async () => {
  const server = await startServer(['--demo', '--data', dataDir, '--log-level', 'info']);
  servers.push(server);
  await demoFinished(server);
  assert.equal(await server.stop(), 0);

  const exported = await runCli(['audit', 'export', '--data', dataDir, '--log-level', 'silent']);
  assert.equal(exported.code, 0, exported.stderr);
  const events = exported.stdout
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as AuditEvent);
  const deploy = events.filter((event) => event.executionId !== null);
  const executionId = deploy[0]?.executionId;
  // Red/black plans shrinkCluster and disableCluster after the new group; on a first deploy they find nothing to change.
  assert.deepEqual(
    deploy.map((event) => event.action),
    ['orchestration.start', 'cloud.createServerGroup', 'stage.shrinkCluster', 'stage.disableCluster', 'stage.createServerGroup', 'orchestration.end'],
  );
  assert.ok(deploy.every((event) => event.actor === initialAdminUser && event.application === 'hello' && event.executionId === executionId));
  assert.deepEqual(deploy[1]!.target, { type: 'serverGroup', id: 'local/us-east/hello-v000' });
  assert.deepEqual(deploy[1]!.summary['outcome'], { state: 'succeeded' });
  assert.deepEqual(deploy.at(-1)!.summary, { name: 'Deploy the demo service', status: 'SUCCEEDED' });

  const verified = await runCli(['audit', 'verify', '--data', dataDir, '--log-level', 'silent']);
  assert.deepEqual([verified.code, verified.stdout], [0, `audit trail intact: ${events.length} events\n`]);
});

import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { GennakerError } from '../src/core/errors.js';
import { cliPath, runCli } from './support/cli.js';
import { helloLaunch, killRecordedInstances, startLocalCloud, upCount } from './support/localcloud.js';
import { countBy, sendRequests } from './support/load.js';

const execFileAsync = promisify(execFile);
const scratch = mkdtempSync(join(tmpdir(), 'gennaker-localcloud-daemon-'));
after(() => rmSync(scratch, { recursive: true, force: true }));
const spawnerChild = fileURLToPath(new URL('./support/spawn-daemon-child.js', import.meta.url));
const where = { account: 'local', region: 'us-east' } as const;

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function untilDead(pid: number): Promise<void> {
  for (let i = 0; i < 300 && alive(pid); i++) await sleep(50);
}

describe('local-cloud daemon', () => {
  test('spawned detached, it keeps running after its parent exits, and a second caller adopts it', async () => {
    const dataDir = mkdtempSync(join(scratch, 'detached-'));
    let pid: number | undefined;
    try {
      const { stdout } = await execFileAsync(process.execPath, [spawnerChild, dataDir], { timeout: 30_000 });
      const first = JSON.parse(stdout) as { pid: number; url: string; adopted: boolean };
      pid = first.pid;
      assert.equal(first.adopted, false);
      const info = (await (await fetch(`${first.url}/v1/info`)).json()) as { pid: number; accounts: { name: string; regions: string[] }[] };
      assert.equal(info.pid, first.pid, 'the daemon answers after the process that spawned it exited');
      assert.deepEqual(info.accounts, [{ name: 'local', provider: 'local', regions: ['us-east', 'eu-west'] }]);
      const second = JSON.parse((await execFileAsync(process.execPath, [spawnerChild, dataDir], { timeout: 30_000 })).stdout) as typeof first;
      assert.deepEqual(second, { ...first, adopted: true });
    } finally {
      if (pid !== undefined) {
        process.kill(pid, 'SIGTERM');
        await untilDead(pid);
      }
      killRecordedInstances(dataDir);
    }
    assert.equal(existsSync(join(dataDir, 'localcloud', 'daemon.json')), false, 'a clean stop removes the announcement');
  });

  test('a restarted daemon rebuilds balancers on their ports and groups at capacity, with new instance ids', async () => {
    const dataDir = mkdtempSync(join(scratch, 'restart-'));
    let cloud = await startLocalCloud({ dataDir });
    try {
      const { loadBalancer } = await cloud.succeed({ type: 'upsertLoadBalancer', ...where, name: 'keep-lb' });
      const created = await cloud.succeed(
        { type: 'createServerGroup', ...where, application: 'keep', capacity: { min: 0, max: 3, desired: 2 }, launch: helloLaunch(), loadBalancers: ['keep-lb'] },
        'create-before-crash',
      );
      const { serverGroup } = created;
      const before = await cloud.waitForGroup(serverGroup!.name, (g) => upCount(g) === 2, '2 Up instances');
      const oldPids = Object.values((JSON.parse(readFileSync(join(dataDir, 'localcloud', 'state.json'), 'utf8')) as { instancePids: Record<string, number> }).instancePids);
      assert.equal(oldPids.length, 2);
      // A crash: the daemon dies without stopping its instances.
      cloud.child.kill('SIGKILL');
      await new Promise((resolveExit) => cloud.child.once('exit', resolveExit));
      assert.ok(oldPids.every(alive), 'instances outlive a crashed daemon');
      cloud = await startLocalCloud({ dataDir });
      for (const pid of oldPids) await untilDead(pid);
      assert.deepEqual(oldPids.filter(alive), [], 'the restarted daemon killed the orphans');
      const after = await cloud.waitForGroup(serverGroup!.name, (g) => upCount(g) === 2, '2 Up instances again');
      const snapshot = await cloud.describe();
      assert.equal(snapshot.loadBalancers[0]!.address, loadBalancer!.address);
      const oldIds = new Set(before.instances.map((i) => i.id));
      assert.ok(after.instances.every((i) => !oldIds.has(i.id)), 'instance ids are never reused');
      const results = await sendRequests(`http://${loadBalancer!.address}`, 10);
      assert.equal(Object.values(countBy(results, 'serverGroup')).reduce((a, b) => a + b, 0), 10);
      const remembered = await fetch(`${cloud.url}/v1/operations/create-before-crash`);
      assert.deepEqual(await remembered.json(), created, 'operation results survive a restart');
    } finally {
      await cloud.stop();
    }
  });

  test('spawning a daemon that cannot start fails with a coded error pointing at its log', async () => {
    const dataDir = mkdtempSync(join(scratch, 'broken-'));
    const { spawnLocalCloudDaemon } = await import('../src/localcloud/index.js');
    await assert.rejects(
      spawnLocalCloudDaemon({ dataDir, cliPath, configFile: join(dataDir, 'missing.yaml') }),
      (error: unknown) =>
        error instanceof GennakerError &&
        error.code === 'GNK_E_LOCALCLOUD_UNAVAILABLE' &&
        /exited with code 1 during start-up/.test(error.message) &&
        error.details[0]!.source === join(dataDir, 'localcloud', 'daemon.log'),
    );
    assert.match(readFileSync(join(dataDir, 'localcloud', 'daemon.log'), 'utf8'), /GNK_E_CONFIG_FILE_UNREADABLE/);
  });

  test('localcloud refuses a bad --port with the flag and what was expected', async () => {
    const { code, stderr } = await runCli(['localcloud', '--port', 'eighty', '--data', mkdtempSync(join(scratch, 'bad-'))]);
    assert.equal(code, 1);
    assert.match(stderr, /GNK_E_CONFIG_INVALID/);
    assert.match(stderr, /--port: expected a port number from 0 to 65535/);
  });

  test('accounts and regions come from the localCloud section of the config file', async () => {
    const cloud = await startLocalCloud({ config: { localCloud: { accounts: [{ name: 'staging', regions: ['ap-south'] }] } } });
    try {
      const info = (await (await fetch(`${cloud.url}/v1/info`)).json()) as { accounts: unknown };
      assert.deepEqual(info.accounts, [{ name: 'staging', provider: 'local', regions: ['ap-south'] }]);
      assert.equal((await fetch(`${cloud.url}/v1/accounts/staging/regions/ap-south`)).status, 200);
    } finally {
      await cloud.stop();
    }
  });
});

import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { startServer, type RunningServer } from './support/cli.js';
import { killServedCloud } from './support/localcloud.js';

const dataDir = mkdtempSync(join(tmpdir(), 'gennaker-demo-'));
const servers: RunningServer[] = [];
after(() => killServedCloud(dataDir, servers));

/** The balancer's address from the server's "demo: … serving at URL" log line (bounded wait). */
async function demoUrl(server: RunningServer): Promise<string> {
  for (let attempt = 0; attempt < 300; attempt += 1) {
    const found = /demo: hello-service is serving at (http:\/\/[0-9.:]+\/)/.exec(server.output());
    if (found) return found[1]!;
    if (/demo: the deploy/.test(server.output())) assert.fail(`the demo deploy failed:\n${server.output()}`);
    await sleep(100);
  }
  assert.fail(`the demo never said where it serves:\n${server.output()}`);
}

test('npm start\'s demo deploys hello-service on the local cloud behind a balancer, and a restart finds it instead of deploying again', async () => {
  const first = await startServer(['--demo', '--data', dataDir, '--log-level', 'info']);
  servers.push(first);
  const url = await demoUrl(first);
  assert.ok(first.output().includes(`Log in as admin with the password in ${join(dataDir, 'initial-admin-password')}`), 'the demo says how to log in');
  const answers = await Promise.all([1, 2, 3, 4].map(async () => (await (await fetch(url)).json()) as { version: string; instance: string; serverGroup: string }));
  assert.deepEqual(new Set(answers.map((answer) => answer.version)), new Set(['1.0.0']));
  assert.deepEqual(new Set(answers.map((answer) => answer.serverGroup)), new Set(['hello-v000']));
  assert.equal(new Set(answers.map((answer) => answer.instance)).size, 2, 'both instances take traffic');
  assert.equal(await first.stop(), 0);

  const second = await startServer(['--demo', '--data', dataDir, '--log-level', 'info']);
  servers.push(second);
  assert.equal(await demoUrl(second), url);
  assert.equal((await fetch(`${second.url}/api/inventory`)).status, 401, 'authentication is on');
  const password = readFileSync(join(dataDir, 'initial-admin-password'), 'utf8').trim();
  const login = await fetch(`${second.url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'admin', password }),
  });
  assert.equal(login.status, 200);
  const cookie = /^gennaker_session=[^;]+/.exec(login.headers.get('set-cookie') ?? '')![0];
  const inventory = (await (await fetch(`${second.url}/api/inventory`, { headers: { cookie } })).json()) as { serverGroups: { name: string }[] };
  assert.deepEqual(inventory.serverGroups.map((group) => group.name), ['hello-v000'], 'no second deploy');
  assert.equal(await second.stop(), 0);
});

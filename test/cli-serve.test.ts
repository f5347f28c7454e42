import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { configKeys } from '../src/config/keys.js';
import { openStore } from '../src/store/open.js';
import { runCli, startServer } from './support/cli.js';
import { startPostgres } from './support/postgres.js';

const scratch = mkdtempSync(join(tmpdir(), 'gennaker-cli-'));
after(() => rmSync(scratch, { recursive: true, force: true }));
const packageVersion = (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;

function freshDataDir(): string {
  return mkdtempSync(join(scratch, 'data-'));
}

describe('gennaker CLI', () => {
  test('--help lists the commands', async () => {
    const { code, stdout } = await runCli(['--help']);
    assert.equal(code, 0);
    for (const command of ['serve', 'migrate', 'config']) assert.match(stdout, new RegExp(`^\\s+${command}\\b`, 'm'));
  });

  test('serve --help documents every flag, its environment variable and default', async () => {
    const { code, stdout } = await runCli(['serve', '--help']);
    assert.equal(code, 0);
    for (const key of configKeys) {
      const flag = `--${key.flag!.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
      assert.match(stdout, new RegExp(`^\\s+${flag}\\b`, 'm'), `serve --help lacks ${flag}`);
      if (key.env) assert.match(stdout.replace(/\s+/g, ' '), new RegExp(key.env), `serve --help lacks ${key.env}`);
    }
    assert.match(stdout, /--config <file>/);
    assert.match(stdout.replace(/\s+/g, ' '), /\(default: 8084\)/);
  });

  test('--version prints the package version', async () => {
    assert.equal((await runCli(['--version'])).stdout.trim(), packageVersion);
  });

  test('a bad flag is refused with the setting, its source and what was expected', async () => {
    const { code, stderr } = await runCli(['serve', '--port', 'eighty', '--data', freshDataDir()]);
    assert.equal(code, 1);
    assert.match(stderr, /GNK_E_CONFIG_INVALID/);
    assert.match(stderr, /server\.port \(from --port\): expected a port number from 0 to 65535/);
  });

  test('config prints the resolved configuration with the database password redacted', async () => {
    const { code, stdout } = await runCli(['config', '--port', '9999'], { GENNAKER_DB: 'postgres://gk:hunter2@db/cd' });
    assert.equal(code, 0);
    const printed = JSON.parse(stdout) as { server: { port: number }; db: { url: string } };
    assert.equal(printed.server.port, 9999);
    assert.equal(printed.db.url, '[redacted]');
    assert.doesNotMatch(stdout, /hunter2/);
  });

  test('migrate brings a new store to the latest schema', async () => {
    const { code, stdout } = await runCli(['migrate', '--data', freshDataDir()]);
    assert.equal(code, 0);
    assert.match(stdout, /sqlite store at .*gennaker\.db: \d+ migrations applied/);
    assert.match(stdout, /0001-applications/);
  });
});

describe('gennaker serve', () => {
  test('answers GET /health with the version and the embedded store, and stops cleanly on SIGTERM', async () => {
    const dataDir = freshDataDir();
    const server = await startServer(['--data', dataDir, '--local-cloud', 'off']);
    const response = await fetch(`${server.url}/health`);
    assert.equal(response.status, 200);
    assert.deepEqual(await response.json(), {
      status: 'UP',
      version: packageVersion,
      store: { engine: 'sqlite', location: join(dataDir, 'gennaker.db') },
    });
    const missing = await fetch(`${server.url}/no/such/route`);
    assert.equal(missing.status, 404);
    assert.equal(((await missing.json()) as { error: { code: string } }).error.code, 'GNK_E_NOT_FOUND');
    assert.equal(await server.stop(), 0);
  });

  test('--demo seeds the demo application, once', async () => {
    const dataDir = freshDataDir();
    for (let run = 0; run < 2; run++) {
      const server = await startServer(['--data', dataDir, '--demo', '--local-cloud', 'off']);
      assert.equal(await server.stop(), 0);
    }
    const store = await openStore({ dataDir });
    assert.deepEqual((await store.applications.list()).map((app) => app.name), ['hello']);
    await store.close();
  });

  test('authentication is on: the first start creates admin and says how to log in; --insecure-no-auth warns instead', async () => {
    const dataDir = freshDataDir();
    const server = await startServer(['--data', dataDir, '--local-cloud', 'off']);
    const passwordFile = join(dataDir, 'initial-admin-password');
    for (let attempt = 0; attempt < 100 && !server.output().includes('Log in as admin'); attempt += 1) await sleep(50);
    assert.ok(server.output().includes(`Log in as admin with the password in ${passwordFile}`), server.output());
    assert.ok(!server.output().includes(readFileSync(passwordFile, 'utf8').trim()), 'the password itself is never printed');
    assert.equal((await fetch(`${server.url}/api/inventory`)).status, 401);
    assert.equal(await server.stop(), 0);

    const open = await startServer(['--data', freshDataDir(), '--local-cloud', 'off', '--insecure-no-auth']);
    assert.match(open.errors(), /WARNING: --insecure-no-auth: authentication is OFF/);
    assert.match(open.output(), /"level":40,.*"msg":"authentication is OFF/);
    assert.equal((await fetch(`${open.url}/api/inventory`)).status, 200);
    assert.equal(await open.stop(), 0);
  });

  test('--db serves from PostgreSQL and never shows the password', async () => {
    const cluster = await startPostgres();
    try {
      const url = (await cluster.createDatabase()).replace('postgres@', 'postgres:topsecret@');
      const server = await startServer(['--data', freshDataDir(), '--db', url, '--local-cloud', 'off']);
      const health = (await (await fetch(`${server.url}/health`)).json()) as { store: { engine: string; location: string } };
      assert.equal(health.store.engine, 'postgres');
      assert.match(health.store.location, /^postgres:\/\/postgres@127\.0\.0\.1:\d+\/gennaker_/);
      assert.equal(await server.stop(), 0);
      assert.doesNotMatch(server.output(), /topsecret/);
    } finally {
      await cluster.stop();
    }
  });

  test('an unreachable PostgreSQL stops start-up with a coded error', async () => {
    const { code, stderr } = await runCli(['serve', '--port', '0', '--db', 'postgres://gk:pw@127.0.0.1:1/cd', '--data', freshDataDir(), '--local-cloud', 'off']);
    assert.equal(code, 1);
    assert.match(stderr, /GNK_E_STORE_UNAVAILABLE: cannot connect to postgres:\/\/gk@127\.0\.0\.1:1\/cd/);
    assert.doesNotMatch(stderr, /:pw@/);
  });
});

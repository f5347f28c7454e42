import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { after, describe, test } from 'node:test';
import { loadConfig } from '../src/config/load.js';
import { GennakerError } from '../src/core/errors.js';
import { Secret } from '../src/core/secret.js';
import { createLogger } from '../src/log/logger.js';

const dir = mkdtempSync(join(tmpdir(), 'gennaker-config-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

function configError(run: () => unknown): GennakerError {
  try {
    run();
  } catch (error) {
    assert.ok(error instanceof GennakerError);
    return error;
  }
  return assert.fail('expected a configuration error');
}

describe('configuration', () => {
  test('defaults: port 8084 on loopback, embedded store in ./data, info logs', () => {
    const config = loadConfig({ flags: {}, env: {}, cwd: '/srv/gk' });
    assert.deepEqual(config.server, { host: '127.0.0.1', port: 8084 });
    assert.equal(config.dataDir, '/srv/gk/data');
    assert.equal(config.db.url, undefined);
    assert.equal(config.log.level, 'info');
    assert.equal(config.demo, false);
  });

  test('precedence: flags over environment over file over defaults', () => {
    const path = file('precedence.yaml', 'server:\n  port: 9001\n  host: 0.0.0.0\nlog:\n  level: debug\ndataDir: from-file\n');
    const env = { GENNAKER_PORT: '9002', GENNAKER_DATA: '/env/data' };
    const all = loadConfig({ flags: { config: path, port: '9003' }, env, cwd: dir });
    assert.equal(all.server.port, 9003);
    assert.equal(all.server.host, '0.0.0.0');
    assert.equal(all.dataDir, '/env/data');
    assert.equal(all.log.level, 'debug');
    assert.equal(loadConfig({ flags: { config: path }, env, cwd: dir }).server.port, 9002);
    assert.equal(loadConfig({ flags: { config: path }, env: {}, cwd: dir }).server.port, 9001);
    assert.equal(loadConfig({ flags: { config: path }, env: {}, cwd: dir }).dataDir, join(dir, 'from-file'));
  });

  test('GENNAKER_CONFIG names the file when --config is absent; JSON files work too', () => {
    const path = file('config.json', JSON.stringify({ server: { port: 7000 } }));
    assert.equal(loadConfig({ flags: {}, env: { GENNAKER_CONFIG: path }, cwd: dir }).server.port, 7000);
  });

  test('an invalid value names the setting, its source and what was expected', () => {
    const fromFlag = configError(() => loadConfig({ flags: { port: 'eighty' }, env: {}, cwd: dir }));
    assert.equal(fromFlag.code, 'GNK_E_CONFIG_INVALID');
    assert.deepEqual(fromFlag.details, [{ path: 'server.port', source: '--port', expected: 'expected a port number from 0 to 65535' }]);

    const fromEnv = configError(() => loadConfig({ flags: {}, env: { GENNAKER_PORT: '70000', GENNAKER_LOG_LEVEL: 'loud' }, cwd: dir }));
    assert.deepEqual(
      fromEnv.details.map((d) => [d.path, d.source]),
      [['server.port', 'GENNAKER_PORT'], ['log.level', 'GENNAKER_LOG_LEVEL']],
    );
    assert.match(String(fromEnv.details[1]?.expected), /fatal.*silent/);

    const path = file('typo.yaml', 'sever:\n  port: 1\nserver:\n  prot: 2\n');
    const fromFile = configError(() => loadConfig({ flags: { config: path }, env: {}, cwd: dir }));
    assert.deepEqual(fromFile.details, [
      { path: 'server.prot', source: path, expected: 'no such setting (check the spelling)' },
      { path: 'sever', source: path, expected: 'no such setting (check the spelling)' },
    ]);
  });

  test('a database URL that is not PostgreSQL is refused', () => {
    const error = configError(() => loadConfig({ flags: { db: 'mysql://db/cd' }, env: {}, cwd: dir }));
    assert.deepEqual(error.details.map((d) => [d.path, d.source]), [['db.url', '--db']]);
  });

  test('an unreadable or malformed file is reported with its path', () => {
    const missing = configError(() => loadConfig({ flags: { config: join(dir, 'nope.yaml') }, env: {}, cwd: dir }));
    assert.equal(missing.code, 'GNK_E_CONFIG_FILE_UNREADABLE');
    assert.match(missing.message, /nope\.yaml/);
    const broken = configError(() => loadConfig({ flags: { config: file('broken.yaml', 'server: [1,\n') }, env: {}, cwd: dir }));
    assert.equal(broken.code, 'GNK_E_CONFIG_FILE_UNREADABLE');
    const list = configError(() => loadConfig({ flags: { config: file('list.yaml', '- 1\n- 2\n') }, env: {}, cwd: dir }));
    assert.match(list.message, /expected a mapping/);
  });

  test('the database URL is a secret: logged configuration never shows the password', () => {
    const config = loadConfig({ flags: {}, env: { GENNAKER_DB: 'postgres://gk:hunter2@db/cd' }, cwd: dir });
    assert.ok(config.db.url instanceof Secret);
    assert.equal(config.db.url.reveal(), 'postgres://gk:hunter2@db/cd');
    let logged = '';
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        logged += chunk.toString();
        done();
      },
    });
    const logger = createLogger('info', sink);
    logger.info({ config }, 'starting');
    logger.info({ password: 'hunter2', request: { token: 'hunter2' } }, 'credentials');
    assert.match(logged, /starting/);
    assert.doesNotMatch(logged, /hunter2/);
  });
  test('authentication: on by default with admin role and 12-hour sessions; --insecure-no-auth turns it off', () => {
    const defaults = loadConfig({ flags: {}, env: {}, cwd: dir });
    assert.deepEqual(defaults.auth, { enabled: true, adminRole: 'admin', sessionTtlHours: 12, secureCookies: false });
    assert.equal(loadConfig({ flags: { insecureNoAuth: true }, env: {}, cwd: dir }).auth.enabled, false);
    const onInFile = file('auth-off.yaml', 'auth: { enabled: false }\n');
    assert.equal(loadConfig({ flags: { config: onInFile }, env: {}, cwd: dir }).auth.enabled, false);
    assert.equal(loadConfig({ flags: { config: onInFile, insecureNoAuth: true }, env: {}, cwd: dir }).auth.enabled, false);
  });

  test('account permissions: roles per READ and WRITE, unknown actions refused with their path', () => {
    const good = file('accounts.yaml', 'localCloud: { accounts: [{ name: prod, regions: [us-east], permissions: { READ: [dev, ops], WRITE: [ops] } }] }\n');
    assert.deepEqual(loadConfig({ flags: { config: good }, env: {}, cwd: dir }).localCloud.accounts[0]?.permissions, { READ: ['dev', 'ops'], WRITE: ['ops'] });
    const bad = file('accounts-bad.yaml', 'localCloud: { accounts: [{ name: prod, regions: [us-east], permissions: { EXECUTE: [ops] } }] }\n');
    const error = configError(() => loadConfig({ flags: { config: bad }, env: {}, cwd: dir }));
    assert.deepEqual(error.details.map((detail) => detail.path), ['localCloud.accounts.0.permissions.EXECUTE']);
  });
});

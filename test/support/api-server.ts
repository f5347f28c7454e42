import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { startGennaker, type RunningGennaker } from '../../src/app/gennaker.js';
import { initialAdminPasswordFileName, initialAdminUser } from '../../src/app/initial-admin.js';
import { loadConfig } from '../../src/config/load.js';
import type { AuditRecorder } from '../../src/core/audit/event.js';
import { createLogger, type Logger } from '../../src/log/logger.js';

export interface ApiServer {
  readonly url: string;
  readonly gennaker: RunningGennaker;
  readonly dataDir: string;
  /** JSON request; the body is sent as JSON unless it is a string (sent as is, for malformed input). */
  request(method: string, path: string, options?: ApiRequestOptions): Promise<ApiResponse>;
  /** An API token of the bootstrap administrator (made once per server; auth must be on). */
  adminToken(): Promise<string>;
  /** Creates a user with these roles (as the administrator) and answers an API token of theirs. */
  userToken(name: string, roles: readonly string[]): Promise<string>;
  /** Logs in and answers the `gennaker_session=…` cookie to send as a Cookie header. */
  login(username: string, password: string): Promise<string>;
  stop(): Promise<void>;
}

export interface ApiServerOptions {
  readonly logger?: Logger;
  readonly audit?: AuditRecorder;
}

export interface ApiRequestOptions {
  readonly body?: unknown;
  /** An API token, sent as `Authorization: Bearer …`. */
  readonly token?: string;
  readonly headers?: Readonly<Record<string, string>>;
}

export interface ApiResponse {
  readonly status: number;
  readonly headers: Headers;
  /** The parsed JSON body, or the text when it is not JSON. */
  readonly body: unknown;
}

/**
 * Gennaker in this process on a free loopback port with a throwaway data directory (SQLite unless
 * `db` is given), the local cloud off unless asked for. Extra settings go in as command-line flags would
 * (`{ insecureNoAuth: true }` turns authentication off). With authentication on, `adminToken()` and
 * `userToken(name, roles)` give credentials.
 */
export async function startApiServer(flags: Readonly<Record<string, unknown>> = {}, options: ApiServerOptions = {}): Promise<ApiServer> {
  const dataDir = await mkdtemp(join(tmpdir(), 'gennaker-api-'));
  const config = loadConfig({ flags: { data: dataDir, port: 0, localCloud: 'off', ...flags }, env: {}, cwd: dataDir });
  const gennaker = await startGennaker(config, options.logger ?? createLogger('silent'), options.audit === undefined ? {} : { audit: options.audit });
  const request = (method: string, path: string, options: ApiRequestOptions = {}): Promise<ApiResponse> => apiRequest(gennaker.url, method, path, options);
  const login = (username: string, password: string): Promise<string> => loginCookie(gennaker.url, username, password);
  let adminToken: Promise<string> | undefined;
  const admin = (): Promise<string> =>
    (adminToken ??= bootstrapAdminToken(gennaker.url, dataDir));
  return {
    url: gennaker.url,
    gennaker,
    dataDir,
    request,
    adminToken: admin,
    login,
    async userToken(name, roles) {
      const password = `pw-${randomUUID()}`;
      const created = await request('POST', '/api/users', { token: await admin(), body: { name, roles, password } });
      if (created.status !== 201) throw new Error(`creating user ${name}: ${created.status} ${JSON.stringify(created.body)}`);
      return tokenOf(gennaker.url, await login(name, password));
    },
    stop: async () => {
      await gennaker.stop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

export async function apiRequest(baseUrl: string, method: string, path: string, options: ApiRequestOptions = {}): Promise<ApiResponse> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.token !== undefined) headers['authorization'] = `Bearer ${options.token}`;
  let body: string | undefined;
  if (options.body !== undefined) {
    body = typeof options.body === 'string' ? options.body : JSON.stringify(options.body);
    headers['content-type'] ??= 'application/json';
  }
  const response = await fetch(new URL(path, baseUrl), { method, headers, body });
  const text = await response.text();
  let parsed: unknown = text;
  try {
    parsed = text === '' ? undefined : JSON.parse(text);
  } catch {
    // not JSON: keep the text
  }
  return { status: response.status, headers: response.headers, body: parsed };
}

/** An API token of the bootstrap administrator of a server (in this process or not) whose data directory is `dataDir`. */
export async function bootstrapAdminToken(baseUrl: string, dataDir: string): Promise<string> {
  const password = (await readFile(join(dataDir, initialAdminPasswordFileName), 'utf8')).trim();
  return tokenOf(baseUrl, await loginCookie(baseUrl, initialAdminUser, password));
}

async function loginCookie(baseUrl: string, username: string, password: string): Promise<string> {
  const response = await apiRequest(baseUrl, 'POST', '/api/auth/login', { body: { username, password } });
  const cookie = /^(gennaker_session=[^;]+)/.exec(response.headers.get('set-cookie') ?? '')?.[1];
  if (response.status !== 200 || cookie === undefined) throw new Error(`login as ${username}: ${response.status} ${JSON.stringify(response.body)}`);
  return cookie;
}

async function tokenOf(baseUrl: string, cookie: string): Promise<string> {
  const response = await apiRequest(baseUrl, 'POST', '/api/tokens', { headers: { cookie }, body: { name: 'test' } });
  if (response.status !== 201) throw new Error(`creating a token: ${response.status} ${JSON.stringify(response.body)}`);
  return (response.body as { token: string }).token;
}

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startGennaker, type RunningGennaker } from '../../src/app/gennaker.js';
import { loadConfig } from '../../src/config/load.js';
import { createLogger } from '../../src/log/logger.js';

export interface ApiServer {
  readonly url: string;
  readonly gennaker: RunningGennaker;
  readonly dataDir: string;
  /** JSON request; the body is sent as JSON unless it is a string (sent as is, for malformed input). */
  request(method: string, path: string, options?: ApiRequestOptions): Promise<ApiResponse>;
  stop(): Promise<void>;
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
 * `db` is given), the local cloud off unless asked for. Extra settings go in as command-line flags would.
 */
export async function startApiServer(flags: Readonly<Record<string, unknown>> = {}): Promise<ApiServer> {
  const dataDir = await mkdtemp(join(tmpdir(), 'gennaker-api-'));
  const config = loadConfig({ flags: { data: dataDir, port: 0, localCloud: 'off', ...flags }, env: {}, cwd: dataDir });
  const gennaker = await startGennaker(config, createLogger('silent'));
  return {
    url: gennaker.url,
    gennaker,
    dataDir,
    request: (method, path, options = {}) => apiRequest(gennaker.url, method, path, options),
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

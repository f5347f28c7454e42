import { spawn } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { daemonAnnouncementSchema, localCloudInfoSchema, localCloudPaths as routes, type DaemonAnnouncement, type LocalCloudInfo } from '../core/cloud/index.js';
import { GennakerError } from '../core/errors.js';
import { localCloudPaths } from './paths.js';

export interface SpawnLocalCloudOptions {
  readonly dataDir: string;
  readonly configFile?: string;
  /** The gennaker CLI to run (default: the one running now). */
  readonly cliPath?: string;
  readonly port?: number;
  /** How long to wait for the daemon to announce itself. */
  readonly timeoutMs?: number;
}

export interface LocalCloudDaemonHandle {
  readonly url: string;
  readonly pid: number;
  readonly info: LocalCloudInfo;
  /** true when a daemon was already running for this data directory and nothing was started. */
  readonly adopted: boolean;
}

async function fetchInfo(url: string): Promise<LocalCloudInfo | undefined> {
  try {
    const response = await fetch(`${url}${routes.info}`, { signal: AbortSignal.timeout(2_000) });
    if (!response.ok) return undefined;
    return localCloudInfoSchema.parse(await response.json());
  } catch {
    return undefined;
  }
}

function readAnnouncement(path: string): DaemonAnnouncement | undefined {
  if (!existsSync(path)) return undefined;
  try {
    return daemonAnnouncementSchema.parse(JSON.parse(readFileSync(path, 'utf8')));
  } catch {
    return undefined;
  }
}

/** The daemon announced in `<dataDir>/localcloud/daemon.json`, if it answers. */
export async function findLocalCloudDaemon(dataDir: string): Promise<LocalCloudDaemonHandle | undefined> {
  const announcement = readAnnouncement(localCloudPaths(dataDir).announcement);
  if (!announcement) return undefined;
  const info = await fetchInfo(announcement.url);
  return info && info.pid === announcement.pid ? { url: announcement.url, pid: announcement.pid, info, adopted: true } : undefined;
}

/**
 * Finds the data directory's running daemon or starts one: `gennaker localcloud` in its own session
 * (detached, output to daemon.log), so it keeps running when the caller exits. Resolves once the new
 * daemon has announced itself and answers /v1/info.
 */
export async function spawnLocalCloudDaemon(options: SpawnLocalCloudOptions): Promise<LocalCloudDaemonHandle> {
  const running = await findLocalCloudDaemon(options.dataDir);
  if (running) return running;
  const files = localCloudPaths(options.dataDir);
  mkdirSync(files.root, { recursive: true });
  const cliPath = options.cliPath ?? process.argv[1]!;
  const args = [cliPath, 'localcloud', '--data', options.dataDir, '--port', String(options.port ?? 0)];
  if (options.configFile) args.push('--config', options.configFile);
  const log = openSync(files.daemonLog, 'a');
  const child = spawn(process.execPath, args, { detached: true, stdio: ['ignore', log, log] });
  closeSync(log);
  let exitCode: number | null | undefined;
  child.once('exit', (code) => (exitCode = code ?? -1));
  child.unref();
  const deadline = Date.now() + (options.timeoutMs ?? 15_000);
  while (Date.now() < deadline && exitCode === undefined) {
    const announcement = readAnnouncement(files.announcement);
    if (announcement && announcement.pid === child.pid) {
      const info = await fetchInfo(announcement.url);
      if (info) return { url: announcement.url, pid: announcement.pid, info, adopted: false };
    }
    await sleep(25);
  }
  if (exitCode === undefined) child.kill('SIGTERM');
  throw new GennakerError(
    'GNK_E_LOCALCLOUD_UNAVAILABLE',
    exitCode === undefined ? 'the local-cloud daemon did not become ready in time' : `the local-cloud daemon exited with code ${exitCode} during start-up`,
    [{ source: files.daemonLog, expected: 'a daemon announcing itself in daemon.json' }],
  );
}

import { createHash } from 'node:crypto';
import { open, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';

/** The files of one job, all inside its directory. */
export const jobFiles = {
  /** What was started, and when: `{command, workingDirectory, startedAt}`. */
  description: 'job.json',
  /** Created by the one wrapper that runs the command; any other wrapper started for the job exits. */
  claim: 'claimed',
  /** The wrapper's pid, which is also the job's process group id; written before the command runs. */
  pid: 'pid',
  /** The command's exit code; written when it ends. */
  exit: 'exit',
  /** The command's stdout and stderr. */
  log: 'out.log',
  /** key=value lines the command may write (its path is in GENNAKER_OUTPUT); they become stage outputs. */
  output: 'output',
  /** Why the wrapper could not be spawned. */
  spawnError: 'spawn-error',
  /** Written by cancel; a wrapper that finds it does not run the command. */
  canceled: 'canceled',
} as const;

/**
 * The directory of the job run under one idempotency key. The key is spelt out, every character but
 * letters, digits, `_` and `-` escaped as `%XX`, so distinct keys get distinct names; a key too long
 * for a file name is hashed.
 */
export function jobDirectory(dataDir: string, idempotencyKey: string): string {
  const escaped = [...Buffer.from(idempotencyKey, 'utf8')]
    .map((byte) => {
      const char = String.fromCharCode(byte);
      return /[A-Za-z0-9_-]/.test(char) ? char : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
    })
    .join('');
  const name = escaped.length <= 200 ? escaped : `sha256-${createHash('sha256').update(idempotencyKey).digest('hex')}`;
  return join(dataDir, 'jobs', name);
}

/** A file's text, or undefined if it does not exist. */
export async function readIfPresent(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

/** Milliseconds since anything in the directory last changed; undefined if it is gone. */
export async function unchangedForMs(directory: string): Promise<number | undefined> {
  try {
    return Date.now() - (await stat(directory)).mtimeMs;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

const maxTailBytes = 256 * 1024;

/** The last `lines` lines of the job's output, read from the end of the file only. */
export async function logTail(directory: string, lines: number): Promise<string> {
  if (lines === 0) return '';
  let handle;
  try {
    handle = await open(join(directory, jobFiles.log), 'r');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return '';
    throw error;
  }
  try {
    const { size } = await handle.stat();
    const length = Math.min(size, maxTailBytes);
    const buffer = Buffer.alloc(length);
    await handle.read(buffer, 0, length, size - length);
    const all = buffer.toString('utf8').split('\n');
    // Reading from the middle of the file, the first line is only the end of a line.
    if (length < size) all.shift();
    if (all.at(-1) === '') all.pop();
    return all.slice(-lines).join('\n');
  } finally {
    await handle.close();
  }
}

/**
 * Reads `key=value` lines (Spinnaker's property file): blank lines and lines starting with `#` or `!`
 * are skipped, key and value are trimmed, the first `=` splits them. Lines without `=` are returned
 * apart so the caller can say they were ignored.
 */
export function parseProperties(text: string): { values: Record<string, string>; ignored: string[] } {
  const values = new Map<string, string>();
  const ignored: string[] = [];
  for (const line of text.split(/\r?\n/)) {
    const trimmed = line.trim();
    if (trimmed === '' || trimmed.startsWith('#') || trimmed.startsWith('!')) continue;
    const split = trimmed.indexOf('=');
    if (split <= 0) {
      ignored.push(trimmed);
      continue;
    }
    values.set(trimmed.slice(0, split).trim(), trimmed.slice(split + 1).trim());
  }
  return { values: Object.fromEntries(values), ignored };
}

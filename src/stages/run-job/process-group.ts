import { readdir, readFile } from 'node:fs/promises';

/**
 * A job runs in its own process group, led by the wrapper shell, so signalling the group reaches the
 * command and whatever it started. Process ids come from files the wrapper wrote.
 */

function signalGroup(groupId: number, signal: NodeJS.Signals | 0): boolean {
  try {
    process.kill(-groupId, signal);
    return true;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ESRCH') return false;
    // The group exists but belongs to someone else: not ours to signal, but it is alive.
    if (code === 'EPERM') return true;
    throw error;
  }
}

/** State and process group of a process, from Linux's /proc; undefined if it cannot be read. */
async function processInfo(pid: string): Promise<{ state: string; group: number } | undefined> {
  let text: string;
  try {
    text = await readFile(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined;
  }
  // `pid (command) state ppid pgrp …`; the command may itself contain spaces and parentheses.
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
  return { state: fields[0] ?? '', group: Number(fields[2]) };
}

const ended = (state: string): boolean => state === 'Z' || state === 'X';

/**
 * Whether anything in the group still runs. A signal test alone also counts zombies: processes that
 * ended but were not reaped, as happens to a job's orphans when it runs in a container whose init does
 * not reap. Where /proc exists, those are told apart; elsewhere the signal test decides.
 */
export async function isGroupAlive(groupId: number): Promise<boolean> {
  if (!signalGroup(groupId, 0)) return false;
  const leader = await processInfo(String(groupId));
  if (leader && leader.group === groupId && !ended(leader.state)) return true;
  let entries: string[];
  try {
    entries = await readdir('/proc');
  } catch {
    return true;
  }
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    const member = await processInfo(entry);
    if (member && member.group === groupId && !ended(member.state)) return true;
  }
  return false;
}

const pollMs = 50;
/** After SIGKILL the group goes at once; this only bounds the wait for the kernel to finish. */
const killSettleMs = 1_000;

async function waitUntilGone(groupId: number, forMs: number): Promise<boolean> {
  const deadline = Date.now() + forMs;
  while (Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, pollMs));
    if (!(await isGroupAlive(groupId))) return true;
  }
  return false;
}

/** SIGTERM, then SIGKILL if anything in the group still runs after `graceMs`. Safe to repeat. */
export async function stopGroup(groupId: number, graceMs: number): Promise<void> {
  if (!(await isGroupAlive(groupId))) return;
  signalGroup(groupId, 'SIGTERM');
  if (await waitUntilGone(groupId, graceMs)) return;
  signalGroup(groupId, 'SIGKILL');
  await waitUntilGone(groupId, killSettleMs);
}

/** A pid file's content as a process group id; anything else (empty, garbage, 0 or 1) is undefined. */
export function groupIdOf(text: string | undefined): number | undefined {
  const id = Number((text ?? '').trim());
  return Number.isInteger(id) && id > 1 ? id : undefined;
}

import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { EngineEvent } from '../../src/core/execution/index.js';

/** One execution for an engine child to start: a fixed id (so a restarted child can skip it), a raw pipeline, its parameters. */
export interface Submission {
  readonly id: string;
  readonly pipeline: Readonly<Record<string, unknown>>;
  readonly parameters: Readonly<Record<string, unknown>>;
}

/** What an engine child prints on stdout, one JSON value a line. */
export type ChildLine =
  | { readonly kind: 'ready'; readonly owner: string; readonly submitted: number; readonly skipped: number }
  | { readonly kind: 'event'; readonly event: EngineEvent }
  | { readonly kind: 'stopped' };

export interface EngineProcessOptions {
  readonly dataDir: string;
  readonly databaseUrl?: string;
  readonly nodeId: string;
  /** A JSON file holding a list of submissions. */
  readonly submissions?: string;
  readonly leaseMs?: number;
  readonly sweepMs?: number;
  readonly repairMs?: number;
}

export interface EngineProcess {
  /** Resolves once the child has started its engine and submitted its executions. */
  readonly ready: Promise<Extract<ChildLine, { kind: 'ready' }>>;
  readonly exited: Promise<{ readonly code: number | null; readonly signal: NodeJS.Signals | null }>;
  /** Every engine event the child printed so far. */
  readonly events: readonly EngineEvent[];
  /** Everything the child wrote to stderr (its warnings and errors), for failure messages. */
  stderr(): string;
  /** SIGKILL: no clean-up of any kind, as in a crash. */
  kill(): Promise<void>;
  /** Asks the child to stop its engine and exit; resolves with its exit code. */
  stop(): Promise<number | null>;
}

const engineChildPath = fileURLToPath(new URL('./engine-child.js', import.meta.url));

function argumentsFor(options: EngineProcessOptions): string[] {
  const optional: [string, string | number | undefined][] = [
    ['--database-url', options.databaseUrl],
    ['--submit', options.submissions],
    ['--lease-ms', options.leaseMs],
    ['--sweep-ms', options.sweepMs],
    ['--repair-ms', options.repairMs],
  ];
  return [
    '--data-dir',
    options.dataDir,
    '--node-id',
    options.nodeId,
    ...optional.flatMap(([flag, value]) => (value === undefined ? [] : [flag, String(value)])),
  ];
}

/** Starts `engine-child.js` as a separate process: a real crash needs a real process to kill. */
export function startEngineProcess(options: EngineProcessOptions): EngineProcess {
  const child = spawn(process.execPath, [engineChildPath, ...argumentsFor(options)], { stdio: ['pipe', 'pipe', 'pipe'] });
  const events: EngineEvent[] = [];
  let stderr = '';
  let partial = '';
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  const ready = new Promise<Extract<ChildLine, { kind: 'ready' }>>((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      const lines = (partial + chunk.toString()).split('\n');
      // A child killed mid-write leaves half a line; it is kept until its end arrives, which may be never.
      partial = lines.pop() ?? '';
      for (const text of lines) {
        if (text.trim() === '') continue;
        const line = JSON.parse(text) as ChildLine;
        if (line.kind === 'event') events.push(line.event);
        if (line.kind === 'ready') resolve(line);
      }
    });
    void exited.then(({ code, signal }) => reject(new Error(`engine child exited (${code ?? signal}) before it was ready:\n${stderr}`)));
  });
  // Killing a child before it is ready is part of the test; nobody need hear about that rejection.
  ready.catch(() => undefined);
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  // The child may be killed while the parent writes to it.
  child.stdin.on('error', () => undefined);
  return {
    ready,
    exited,
    events,
    stderr: () => stderr,
    kill: async () => {
      child.kill('SIGKILL');
      await exited;
    },
    stop: async () => {
      child.stdin.end('stop\n');
      return (await exited).code;
    },
  };
}

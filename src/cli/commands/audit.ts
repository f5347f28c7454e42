import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import type { Writable } from 'node:stream';
import { Command, Option } from 'commander';
import { verifyChain, type AuditEvent } from '../../core/audit/chain.js';
import { loadConfig } from '../../config/load.js';
import { GennakerError } from '../../core/errors.js';
import { sha256Hex } from '../../store/audit.js';
import { openStore } from '../../store/open.js';
import type { Store } from '../../store/store.js';
import { addStoreOptions } from '../options.js';

const pageSize = 1_000;

async function withStore<T>(flags: Record<string, unknown>, work: (store: Store) => Promise<T>): Promise<T> {
  const config = loadConfig({ flags, env: process.env, cwd: process.cwd() });
  const store = await openStore({ dataDir: config.dataDir, databaseUrl: config.db.url?.reveal() });
  try {
    return await work(store);
  } finally {
    await store.close();
  }
}

/** Every event after `since`, page by page in seq order. */
async function* eventsAfter(store: Store, since: number): AsyncGenerator<AuditEvent> {
  for (let cursor = since; ; ) {
    const page = await store.audit.list({ afterSeq: cursor, limit: pageSize });
    yield* page;
    if (page.length < pageSize) return;
    cursor = page.at(-1)!.seq;
  }
}

function sinceFlag(value: string): number {
  if (!/^\d+$/.test(value)) {
    throw new GennakerError('GNK_E_VALIDATION', `--since: expected a seq (a whole number), got ${value}`, [{ path: 'since', source: '--since', expected: 'a whole number' }]);
  }
  return Number(value);
}

async function writeLine(out: Writable, line: string): Promise<void> {
  if (!out.write(line)) await once(out, 'drain');
}

function verifyCommand(): Command {
  return addStoreOptions(new Command('verify').description('check the hash chain of the whole audit trail; exit 1 naming the first bad event')).action(
    async (flags: Record<string, unknown>) => {
      await withStore(flags, async (store) => {
        const events: AuditEvent[] = [];
        for await (const event of eventsAfter(store, 0)) events.push(event);
        const verdict = verifyChain(events, sha256Hex);
        if (verdict.kind === 'broken') {
          throw new GennakerError('GNK_E_AUDIT_CHAIN_BROKEN', `audit trail broken at event ${verdict.seq} (${verdict.problem}): ${verdict.detail}`, [
            { path: `seq ${verdict.seq}`, expected: `an event sealed in this position of the chain; found it ${verdict.problem}` },
          ]);
        }
        process.stdout.write(`audit trail intact: ${verdict.count} events\n`);
      });
    },
  );
}

function exportCommand(): Command {
  return addStoreOptions(
    new Command('export')
      .description('write audit events as JSON Lines, one event per line in seq order')
      .addOption(new Option('--out <file>', 'write to this file instead of standard output'))
      .addOption(new Option('--since <seq>', 'only events after this seq (the last one you already hold)').argParser(sinceFlag).default(0)),
  ).action(async (flags: Record<string, unknown> & { out?: string; since: number }) => {
    const { out: file, since, ...storeFlags } = flags;
    await withStore(storeFlags, async (store) => {
      const out = file === undefined ? process.stdout : createWriteStream(file);
      for await (const event of eventsAfter(store, since)) await writeLine(out, `${JSON.stringify(event)}\n`);
      if (out !== process.stdout) {
        out.end();
        await once(out, 'finish');
      }
    });
  });
}

export function auditCommand(): Command {
  return new Command('audit').description('the tamper-evident audit trail: verify its chain, export it').addCommand(verifyCommand()).addCommand(exportCommand());
}

import { readFile } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { validatePipeline } from '../../src/core/pipeline/validate.js';
import { Engine } from '../../src/engine/engine.js';
import { createLogger } from '../../src/log/logger.js';
import { builtInStages } from '../../src/stages/index.js';
import { openStore } from '../../src/store/open.js';
import type { ChildLine, Submission } from './engine-process.js';

// An engine in a process of its own, for tests that kill it (see engine-process.ts for the other side).
// It opens the store, starts an engine with the built-in stage types under a fixed node id, submits the
// executions it is given that do not exist yet (a restarted child must not submit twice), prints every
// engine event as a JSON line, and stops cleanly when "stop" arrives on stdin or stdin closes.

const { values } = parseArgs({
  options: {
    'data-dir': { type: 'string' },
    'database-url': { type: 'string' },
    'node-id': { type: 'string' },
    submit: { type: 'string' },
    'lease-ms': { type: 'string' },
    'sweep-ms': { type: 'string' },
    'repair-ms': { type: 'string' },
  },
});
const dataDir = values['data-dir'];
const nodeId = values['node-id'];
if (dataDir === undefined || nodeId === undefined) throw new Error('engine-child needs --data-dir and --node-id');
const milliseconds = (text: string | undefined): number | undefined => (text === undefined ? undefined : Number(text));

const say = (line: ChildLine): void => {
  process.stdout.write(`${JSON.stringify(line)}\n`);
};

const store = await openStore({ dataDir, databaseUrl: values['database-url'] });
const engine = new Engine({
  store,
  stages: builtInStages(),
  logger: createLogger('warn', process.stderr),
  dataDir,
  nodeId,
  leaseMs: milliseconds(values['lease-ms']),
  sweepMs: milliseconds(values['sweep-ms']),
  repairMs: milliseconds(values['repair-ms']),
});
engine.events.on('event', (event) => say({ kind: 'event', event }));
await engine.start();

const submissions = values.submit === undefined ? [] : (JSON.parse(await readFile(values.submit, 'utf8')) as Submission[]);
let submitted = 0;
for (const submission of submissions) {
  if (await engine.get(submission.id)) continue;
  const validated = validatePipeline(submission.pipeline);
  if (!validated.ok) throw new Error(`submission ${submission.id} is not a valid pipeline: ${JSON.stringify(validated.errors)}`);
  await engine.runPipeline(validated.pipeline, { type: 'manual', user: 'engine-child', parameters: submission.parameters }, { id: submission.id });
  submitted += 1;
}
say({ kind: 'ready', owner: engine.owner, submitted, skipped: submissions.length - submitted });

for await (const line of createInterface({ input: process.stdin })) {
  if (line.trim() === 'stop') break;
}
await engine.stop();
await store.close();
say({ kind: 'stopped' });

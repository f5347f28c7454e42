import { Agent, request } from 'node:http';
import { performance } from 'node:perf_hooks';
import type { LoadOutcome, LoadReport, LoadRequest, LoadSpec } from './load-spec.js';

/**
 * An open-loop load generator, run as its own process so it does not share an event loop with what it
 * measures: sends a weighted mix of requests at a fixed `rate` per second for `durationMs` over
 * keep-alive connections (at most `connections` at once) and prints one JSON line (a LoadReport). A
 * request is timed from the moment the schedule said to send it, so a stalled server shows in the
 * latencies (no coordinated omission). Reads its LoadSpec as JSON on stdin (see run-paced-load.ts).
 */
let input = '';
for await (const chunk of process.stdin) input += String(chunk);
const spec = JSON.parse(input) as LoadSpec;
const agent = new Agent({ keepAlive: true, maxSockets: spec.connections });
const outcome = (): LoadOutcome => ({ sent: 0, completed: 0, errors: 0, non2xx: 0, latencies: [] });
const total = outcome();
const byRequest: Record<string, LoadOutcome> = Object.fromEntries(spec.requests.map((entry) => [entry.name, outcome()]));
const totalWeight = spec.requests.reduce((sum, entry) => sum + entry.weight, 0);
const turns = new Map<string, number>();
let outstanding = 0;

function choose(): LoadRequest {
  let point = Math.random() * totalWeight;
  for (const entry of spec.requests) {
    point -= entry.weight;
    if (point < 0) return entry;
  }
  return spec.requests.at(-1)!;
}

function send(scheduledAt: number): void {
  const entry = choose();
  const turn = turns.get(entry.name) ?? 0;
  turns.set(entry.name, turn + 1);
  const variant = entry.variants[turn % entry.variants.length]!;
  const counters = [total, byRequest[entry.name]!];
  for (const counter of counters) counter.sent += 1;
  outstanding += 1;
  const done = (failed: boolean, status = 0): void => {
    outstanding -= 1;
    const latency = performance.now() - scheduledAt;
    for (const counter of counters) {
      if (failed) counter.errors += 1;
      else if (status < 200 || status >= 300) counter.non2xx += 1;
      else {
        counter.completed += 1;
        counter.latencies.push(latency);
      }
    }
  };
  const body = variant.body === undefined ? undefined : JSON.stringify(variant.body);
  const headers = { ...spec.headers, ...(body === undefined ? {} : { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) }) };
  const outgoing = request(new URL(variant.path, spec.baseUrl), { agent, method: variant.method, headers, timeout: 10_000 }, (response) => {
    response.resume();
    response.once('end', () => done(false, response.statusCode ?? 0));
  });
  outgoing.once('timeout', () => outgoing.destroy(new Error('timed out')));
  outgoing.once('error', () => done(true));
  outgoing.end(body);
}

const start = performance.now();
const planned = Math.round((spec.rate * spec.durationMs) / 1000);
let scheduled = 0;
await new Promise<void>((resolveSent) => {
  const tick = (): void => {
    const now = performance.now();
    const due = Math.min(planned, Math.floor(((now - start) * spec.rate) / 1000));
    while (scheduled < due) {
      send(start + (scheduled * 1000) / spec.rate);
      scheduled += 1;
    }
    // A 1 ms timer rather than a busy loop: spinning would take a whole core from what is being measured.
    if (scheduled >= planned) resolveSent();
    else setTimeout(tick, 1);
  };
  tick();
});
const sendEnd = performance.now();
for (let i = 0; i < 1000 && outstanding > 0; i++) await new Promise((resolveWait) => setTimeout(resolveWait, 10));
agent.destroy();
const report: LoadReport = { ...total, achievedRps: (total.sent * 1000) / (sendEnd - start), byRequest };
process.stdout.write(`${JSON.stringify(report)}\n`);

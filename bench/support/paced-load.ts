import { Agent, request } from 'node:http';
import { performance } from 'node:perf_hooks';

/**
 * An open-loop load generator, run as its own process so it does not share an event loop with what it
 * measures: sends GET `url` at a fixed `rate` per second for `durationMs` over keep-alive connections
 * (at most `connections` at once) and prints one JSON line of latencies. A request is timed from the
 * moment the schedule said to send it, so a stalled server shows in the latencies (no coordinated
 * omission). Usage: node paced-load.js URL RATE DURATION_MS CONNECTIONS
 */
const [url, rateText, durationText, connectionsText] = process.argv.slice(2);
const rate = Number(rateText);
const durationMs = Number(durationText);
const agent = new Agent({ keepAlive: true, maxSockets: Number(connectionsText ?? 64) });
const latencies: number[] = [];
let errors = 0;
let non2xx = 0;
let outstanding = 0;

function send(scheduledAt: number): void {
  outstanding += 1;
  const done = (failed: boolean, status = 0): void => {
    outstanding -= 1;
    if (failed) errors += 1;
    else if (status < 200 || status >= 300) non2xx += 1;
    else latencies.push(performance.now() - scheduledAt);
  };
  const outgoing = request(url!, { agent, timeout: 10_000 }, (response) => {
    response.resume();
    response.once('end', () => done(false, response.statusCode ?? 0));
  });
  outgoing.once('timeout', () => outgoing.destroy(new Error('timed out')));
  outgoing.once('error', () => done(true));
  outgoing.end();
}

const start = performance.now();
const total = Math.round((rate * durationMs) / 1000);
let sent = 0;
await new Promise<void>((resolveSent) => {
  const tick = (): void => {
    const now = performance.now();
    const due = Math.min(total, Math.floor(((now - start) * rate) / 1000));
    while (sent < due) {
      send(start + (sent * 1000) / rate);
      sent += 1;
    }
    // A 1 ms timer rather than a busy loop: spinning would take a whole core from what is being measured.
    if (sent >= total) resolveSent();
    else setTimeout(tick, 1);
  };
  tick();
});
const sendEnd = performance.now();
for (let i = 0; i < 1000 && outstanding > 0; i++) await new Promise((resolveWait) => setTimeout(resolveWait, 10));
agent.destroy();
process.stdout.write(
  `${JSON.stringify({ sent, completed: latencies.length, errors, non2xx, achievedRps: (sent * 1000) / (sendEnd - start), latencies })}\n`,
);

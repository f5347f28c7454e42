import { Agent, request } from 'node:http';

export interface TimedAnswer {
  /** ms since the load started */
  readonly at: number;
  readonly status: number;
  /** The demo service's `version`, or the error text for a failed request. */
  readonly version: string;
}

export interface SteadyLoad {
  /** Answers so far (a live array). */
  readonly answers: readonly TimedAnswer[];
  /** ms since the load started. */
  elapsed(): number;
  /** Stops sending and waits for requests in flight. */
  stop(): Promise<readonly TimedAnswer[]>;
}

/**
 * Sends GETs to `url` at `ratePerSec` (paced every 5 ms, not as fast as possible), over keep-alive
 * connections, recording when each answered, its status and the version that answered it. Bounded: it
 * stops by itself after `maxSeconds`.
 */
export function steadyLoad(url: string, ratePerSec: number, maxSeconds = 120): SteadyLoad {
  const agent = new Agent({ keepAlive: true, maxSockets: 64 });
  const started = performance.now();
  const elapsed = (): number => performance.now() - started;
  const answers: TimedAnswer[] = [];
  const inFlight = new Set<Promise<void>>();
  let sent = 0;
  const one = (): void => {
    const done = new Promise<void>((resolveOne) => {
      const outgoing = request(url, { agent, timeout: 10_000 }, (response) => {
        let body = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => (body += chunk));
        response.once('end', () => {
          let version = '';
          try {
            version = String((JSON.parse(body) as { version?: unknown }).version);
          } catch {
            version = body.slice(0, 200);
          }
          answers.push({ at: elapsed(), status: response.statusCode ?? 0, version });
          resolveOne();
        });
      });
      outgoing.once('timeout', () => outgoing.destroy(new Error('timed out')));
      outgoing.once('error', (error) => {
        answers.push({ at: elapsed(), status: 0, version: error.message });
        resolveOne();
      });
      outgoing.end();
    });
    inFlight.add(done);
    void done.then(() => inFlight.delete(done));
  };
  const timer = setInterval(() => {
    const due = Math.floor((elapsed() / 1000) * ratePerSec);
    while (sent < due) {
      sent += 1;
      one();
    }
    if (elapsed() > maxSeconds * 1000) clearInterval(timer);
  }, 5);
  return {
    answers,
    elapsed,
    async stop() {
      clearInterval(timer);
      await Promise.all([...inFlight]);
      agent.destroy();
      return answers;
    },
  };
}

export function failures(answers: readonly TimedAnswer[]): TimedAnswer[] {
  return answers.filter((answer) => answer.status !== 200);
}

/** Share (0–1) of successful answers in [from, to) that came from `version`. */
export function shareOf(answers: readonly TimedAnswer[], version: string, from: number, to: number): number {
  const inWindow = answers.filter((answer) => answer.status === 200 && answer.at >= from && answer.at < to);
  return inWindow.length === 0 ? Number.NaN : inWindow.filter((answer) => answer.version === version).length / inWindow.length;
}

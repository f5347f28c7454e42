import { Agent, request } from 'node:http';

export interface LoadResult {
  readonly status: number;
  readonly body: string;
}

/**
 * Sends `count` requests to `url` over keep-alive connections, `concurrency` at a time, and returns
 * every answer in completion order (a connection error counts as status 0). Bounded: gives up after
 * `timeoutMs` per request.
 */
export async function sendRequests(url: string, count: number, concurrency = 8, timeoutMs = 10_000): Promise<LoadResult[]> {
  const agent = new Agent({ keepAlive: true, maxSockets: concurrency });
  const results: LoadResult[] = [];
  let next = 0;
  const one = (): Promise<LoadResult> =>
    new Promise((resolveOne) => {
      const outgoing = request(url, { agent, timeout: timeoutMs }, (response) => {
        let body = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => (body += chunk));
        response.once('end', () => resolveOne({ status: response.statusCode ?? 0, body }));
        response.once('error', () => resolveOne({ status: 0, body }));
      });
      outgoing.once('timeout', () => outgoing.destroy(new Error('timed out')));
      outgoing.once('error', (error) => resolveOne({ status: 0, body: error.message }));
      outgoing.end();
    });
  const worker = async (): Promise<void> => {
    while (next < count) {
      next += 1;
      results.push(await one());
    }
  };
  try {
    await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
  } finally {
    agent.destroy();
  }
  return results;
}

/** How many answers came from each value of a JSON body field (e.g. `instance`, `serverGroup`). */
export function countBy(results: readonly LoadResult[], field: string): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const result of results) {
    if (result.status !== 200) continue;
    const value = String((JSON.parse(result.body) as Record<string, unknown>)[field]);
    counts[value] = (counts[value] ?? 0) + 1;
  }
  return counts;
}

/**
 * Keeps `concurrency` requests going until `stop()` says so (checked between requests) or `maxCount`
 * were sent, whichever comes first; returns every answer.
 */
export async function sendUntil(url: string, stop: () => boolean, concurrency = 4, maxCount = 50_000): Promise<LoadResult[]> {
  const agent = new Agent({ keepAlive: true, maxSockets: concurrency });
  const results: LoadResult[] = [];
  const one = (): Promise<LoadResult> =>
    new Promise((resolveOne) => {
      const outgoing = request(url, { agent, timeout: 10_000 }, (response) => {
        let body = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => (body += chunk));
        response.once('end', () => resolveOne({ status: response.statusCode ?? 0, body }));
      });
      outgoing.once('timeout', () => outgoing.destroy(new Error('timed out')));
      outgoing.once('error', (error) => resolveOne({ status: 0, body: error.message }));
      outgoing.end();
    });
  const worker = async (): Promise<void> => {
    while (!stop() && results.length < maxCount) results.push(await one());
  };
  try {
    await Promise.all(Array.from({ length: concurrency }, worker));
  } finally {
    agent.destroy();
  }
  return results;
}

import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One webhook request as it arrived. */
export interface Delivery {
  readonly path: string;
  readonly idempotencyKey: string;
  readonly body: unknown;
}

/**
 * A webhook receiver that behaves as the docs ask receivers to: it remembers the Idempotency-Keys it
 * has seen and applies a request's effect only for a new key, however often that key is redelivered.
 * The effect is a counter per path, so a stage that called with two different keys (its work done
 * twice) shows up as 2. Answers are sometimes slow, so a crash can land while a call is in flight.
 *
 * `POST /hook/...` is a webhook call; its answer's Location points at `GET /status/...`, which says
 * RUNNING on the first poll and DONE after that.
 */
export interface EffectServer {
  readonly url: string;
  /** Every webhook request, redeliveries included, in arrival order. */
  readonly deliveries: readonly Delivery[];
  /** Per path: how many distinct keys applied their effect there. */
  readonly effects: ReadonlyMap<string, number>;
  /** The first delivery of each key. */
  readonly firstDeliveries: ReadonlyMap<string, Delivery>;
  close(): Promise<void>;
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = '';
    request.setEncoding('utf8');
    request.on('data', (chunk: string) => (text += chunk));
    request.once('end', () => resolve(text));
    request.once('error', reject);
  });
}

function answer(response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  // The caller may have been killed meanwhile; then there is nobody to answer.
  if (response.destroyed) return;
  response.writeHead(status, { 'content-type': 'application/json', ...headers });
  response.end(JSON.stringify(body));
}

/** `random` decides which answers are slow (20–100 ms); pass a seeded one so a run can be repeated. */
export async function startEffectServer(random: () => number): Promise<EffectServer> {
  const deliveries: Delivery[] = [];
  const effects = new Map<string, number>();
  const firstDeliveries = new Map<string, Delivery>();
  const polls = new Map<string, number>();

  const handle = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    const path = new URL(request.url ?? '/', 'http://receiver').pathname;
    const text = await readBody(request);
    if (request.method === 'POST' && path.startsWith('/hook/')) {
      const idempotencyKey = request.headers['idempotency-key'];
      if (typeof idempotencyKey !== 'string' || idempotencyKey === '') return answer(response, 400, { error: 'no Idempotency-Key' });
      const delivery: Delivery = { path, idempotencyKey, body: text === '' ? null : (JSON.parse(text) as unknown) };
      deliveries.push(delivery);
      if (!firstDeliveries.has(idempotencyKey)) {
        firstDeliveries.set(idempotencyKey, delivery);
        effects.set(path, (effects.get(path) ?? 0) + 1);
      }
      if (random() < 0.5) await new Promise((resolve) => setTimeout(resolve, 20 + Math.floor(random() * 80)));
      return answer(response, 200, { accepted: true }, { location: `/status${path.slice('/hook'.length)}` });
    }
    if (request.method === 'GET' && path.startsWith('/status/')) {
      const seen = (polls.get(path) ?? 0) + 1;
      polls.set(path, seen);
      return answer(response, 200, { status: seen === 1 ? 'RUNNING' : 'DONE' });
    }
    answer(response, 404, { error: `nothing at ${request.method} ${path}` });
  };

  const server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => answer(response, 500, { error: String(error) }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    deliveries,
    effects,
    firstDeliveries,
    close: () =>
      new Promise((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

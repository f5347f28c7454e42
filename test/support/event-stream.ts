import { EventStreamParser, type ServerSentEvent } from '../../src/providers/local/server-sent-events.js';

export interface EventStreamClient {
  readonly status: number;
  readonly contentType: string | null;
  /** Every event received so far, in order. */
  readonly events: ServerSentEvent[];
  /** Everything received, comments included. */
  raw(): string;
  /** Resolves when the server ends the stream (or the client closes it). */
  readonly ended: Promise<void>;
  /** Resolves once an event satisfies `predicate` (looking at those already received too); rejects when the stream ends first. */
  waitFor(predicate: (event: ServerSentEvent) => boolean, what: string): Promise<ServerSentEvent>;
  /** Disconnects, like a browser tab closing. */
  close(): void;
}

/**
 * A real streaming client of `text/event-stream`: fetch, then the body read chunk by chunk as it
 * arrives and parsed by the same parser the local-cloud provider uses. Bounded: gives up after `timeoutMs`.
 */
export async function openEventStream(url: string, headers: Readonly<Record<string, string>> = {}, timeoutMs = 15_000): Promise<EventStreamClient> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  const response = await fetch(url, { headers: { accept: 'text/event-stream', ...headers }, signal: controller.signal });
  const events: ServerSentEvent[] = [];
  let raw = '';
  const waiters = new Set<() => void>();
  let finished = false;
  const parser = new EventStreamParser();
  const pump = async (): Promise<void> => {
    const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        raw += value;
        events.push(...parser.push(value));
        for (const wake of waiters) wake();
      }
    } catch {
      // aborted: the client closed it
    } finally {
      finished = true;
      clearTimeout(timer);
      for (const wake of waiters) wake();
    }
  };
  const ended = pump();
  return {
    raw: () => raw,
    ended,
    status: response.status,
    contentType: response.headers.get('content-type'),
    events,
    waitFor(predicate, what) {
      return new Promise((resolveWait, reject) => {
        const check = (): void => {
          const found = events.find(predicate);
          if (found) {
            waiters.delete(check);
            resolveWait(found);
          } else if (finished) {
            waiters.delete(check);
            reject(new Error(`the stream ended before ${what}; received ${JSON.stringify(events)}`));
          }
        };
        waiters.add(check);
        check();
      });
    },
    close() {
      controller.abort();
    },
  };
}

import { setTimeout as sleep } from 'node:timers/promises';
import { EventStreamParser, type ServerSentEvent } from './server-sent-events.js';

export interface ChangeStreamOptions {
  readonly url: string;
  readonly sinceSeq?: number;
  /** Handles one event; returns the seq it consumed, which becomes the resume point. */
  onEvent(event: ServerSentEvent): number | undefined;
  onDisconnect(error: unknown): void;
}

const firstRetryMs = 100;
const maxRetryMs = 2_000;

/**
 * Follows an event stream until stopped: reconnects after any disconnect with a growing delay (reset
 * once events flow again), resuming after the last consumed seq via `Last-Event-ID`, as the server
 * expects. Returns the function that stops it.
 */
export function watchChanges(options: ChangeStreamOptions): () => void {
  const controller = new AbortController();
  let resumeAfter = options.sinceSeq;
  const follow = async (): Promise<void> => {
    let retryMs = firstRetryMs;
    while (!controller.signal.aborted) {
      try {
        const response = await fetch(options.url, {
          headers: { accept: 'text/event-stream', ...(resumeAfter === undefined ? {} : { 'last-event-id': String(resumeAfter) }) },
          signal: controller.signal,
        });
        if (!response.ok || !response.body) throw new Error(`change stream answered ${response.status}`);
        const parser = new EventStreamParser();
        const decoder = new TextDecoder();
        for await (const chunk of response.body) {
          for (const event of parser.push(decoder.decode(chunk as Uint8Array, { stream: true }))) {
            const seq = options.onEvent(event);
            if (seq !== undefined) resumeAfter = seq;
            retryMs = firstRetryMs;
          }
        }
        options.onDisconnect(new Error('change stream ended'));
      } catch (error) {
        if (controller.signal.aborted) return;
        options.onDisconnect(error);
      }
      try {
        await sleep(retryMs, undefined, { signal: controller.signal });
      } catch {
        return;
      }
      retryMs = Math.min(retryMs * 2, maxRetryMs);
    }
  };
  void follow();
  return () => controller.abort();
}

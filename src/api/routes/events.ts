import type { ServerResponse } from 'node:http';
import { z } from 'zod';
import type { Principal } from '../../core/auth/model.js';
import { applicationFilterOf, heartbeatComment, passesFilter, serverSentEvent, type JournalEntry, type LiveEvent } from '../../core/live/index.js';
import { principalOf, type AccessControl } from '../access.js';
import type { LiveEventHub } from '../live-events.js';
import type { ApiApp } from '../server.js';

export interface EventRouteOptions {
  readonly hub: LiveEventHub;
  readonly access: AccessControl;
  /** How often an idle stream gets a comment line, so proxies and load balancers keep it open. */
  readonly heartbeatMs: number;
}

/** Unsent bytes a stream may hold before its client is cut off (it reconnects and resumes, or is told to reset). */
const maxBufferedBytes = 4 * 1024 * 1024;

const querySchema = z.object({
  application: z.string().max(4000).optional().describe('Comma-separated application names; absent: every application the caller may read'),
  lastEventId: z.string().max(200).optional().describe('Resume after this event id (as the Last-Event-ID header, which wins when both are sent)'),
});

/** READ on the event's application, asked once per application for the life of the stream. */
function readableBy(access: AccessControl, principal: Principal): (application: string | null) => Promise<boolean> {
  const decisions = new Map<string, Promise<boolean>>();
  return (application) => {
    if (principal.admin) return Promise.resolve(true);
    if (application === null) return Promise.resolve(false);
    let decision = decisions.get(application);
    if (decision === undefined) {
      decision = access.canApplication(principal, application, 'READ');
      decisions.set(application, decision);
    }
    return decision;
  };
}

function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

export function registerEventRoutes(app: ApiApp, options: EventRouteOptions): void {
  const open = new Set<ServerResponse>();
  // Streams never end by themselves; closing the server ends them so it can stop.
  app.addHook('preClose', async () => {
    for (const stream of open) stream.end();
  });

  app.get(
    '/api/events',
    {
      config: { access: { kind: 'authenticated' } },
      schema: {
        tags: ['events'],
        summary: 'Live execution and inventory changes (Server-Sent Events, resumable)',
        description:
          'A text/event-stream of `execution`, `stage`, `serverGroup`, `serverGroupRemoved`, `loadBalancer` and `loadBalancerRemoved` events, each with an id and JSON data naming its application. Reconnect with Last-Event-ID to receive what was missed; an `event: reset` means some is gone and the state must be fetched afresh. See docs/api.md, "Live events".',
        querystring: querySchema,
      },
    },
    (request, reply) => {
      const principal = principalOf(request);
      const filter = applicationFilterOf(request.query.application);
      const lastEventId = headerValue(request.headers['last-event-id']) ?? request.query.lastEventId;
      const readable = readableBy(options.access, principal);
      reply.hijack();
      // The client may have gone while its credentials were checked: 'close' has fired already then.
      if (request.socket.destroyed) return;
      const stream = reply.raw;
      stream.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache', connection: 'keep-alive', 'x-accel-buffering': 'no' });
      open.add(stream);
      let closed = false;
      /** Writes unless the stream is over: ended by a server shutdown or destroyed, before its 'close' event. */
      const write = (text: string): void => {
        if (closed || stream.writableEnded || stream.destroyed) return;
        stream.write(text);
        // A client this far behind is cut off; it reconnects and resumes.
        if (stream.writableLength > maxBufferedBytes) stream.destroy();
      };
      write(heartbeatComment);
      // Permission checks are asynchronous; the chain keeps events in journal order.
      let sending = Promise.resolve();
      const send = (entry: JournalEntry<LiveEvent>): void => {
        sending = sending
          .then(async () => {
            if (!passesFilter(entry.event, filter) || !(await readable(entry.event.application))) return;
            write(serverSentEvent({ id: entry.id, event: entry.event.type, data: entry.event }));
          })
          .catch((error: unknown) => {
            request.log.warn({ err: error }, 'live events: a permission check failed; closing the stream');
            stream.destroy();
          });
      };
      const subscription = options.hub.subscribe(lastEventId, send);
      switch (subscription.resume.kind) {
        case 'live':
          break;
        case 'replay':
          for (const entry of subscription.resume.entries) send(entry);
          break;
        case 'reset':
          write(serverSentEvent({ id: subscription.latestId, event: 'reset', data: { reason: subscription.resume.reason, latestId: subscription.latestId } }));
          break;
      }
      const heartbeat = setInterval(() => write(heartbeatComment), options.heartbeatMs);
      stream.once('close', () => {
        closed = true;
        clearInterval(heartbeat);
        subscription.unsubscribe();
        open.delete(stream);
      });
    },
  );
}

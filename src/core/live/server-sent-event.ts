/**
 * One event in `text/event-stream` framing. `data` is JSON, which never contains a line break, so
 * one `data:` line carries it whole.
 */
export function serverSentEvent(frame: { readonly id?: string | number; readonly event?: string; readonly data: unknown }): string {
  const id = frame.id === undefined ? '' : `id: ${frame.id}\n`;
  const event = frame.event === undefined ? '' : `event: ${frame.event}\n`;
  return `${id}${event}data: ${JSON.stringify(frame.data)}\n\n`;
}

/** A comment line: ignored by clients, but traffic that keeps proxies from closing an idle stream. */
export const heartbeatComment = ': keep-alive\n\n';

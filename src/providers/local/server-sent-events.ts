/** One event of a `text/event-stream`, as the WHATWG rules assemble it. */
export interface ServerSentEvent {
  /** `message` when the event names none. */
  readonly event: string;
  readonly data: string;
  readonly id?: string;
}

/**
 * Turns chunks of an event stream into events. Chunks may split lines anywhere, and lines may end in
 * LF, CRLF or CR; comments (`:` lines, used as keep-alives) and unknown fields are ignored.
 */
export class EventStreamParser {
  private buffer = '';
  private pendingCr = false;
  private event = '';
  private data: string[] = [];
  private id: string | undefined;

  push(chunk: string): ServerSentEvent[] {
    const events: ServerSentEvent[] = [];
    let text = chunk;
    // A CR ending the previous chunk may be the first half of a CRLF.
    if (this.pendingCr && text.startsWith('\n')) text = text.slice(1);
    this.pendingCr = false;
    this.buffer += text;
    for (;;) {
      const end = this.buffer.search(/\r\n|\r|\n/);
      if (end < 0) break;
      if (this.buffer[end] === '\r' && end === this.buffer.length - 1) {
        this.pendingCr = true;
      }
      const breakLength = this.buffer.startsWith('\r\n', end) ? 2 : 1;
      const line = this.buffer.slice(0, end);
      this.buffer = this.buffer.slice(end + breakLength);
      const event = this.line(line);
      if (event) events.push(event);
    }
    return events;
  }

  private line(line: string): ServerSentEvent | undefined {
    if (line === '') return this.dispatch();
    if (line.startsWith(':')) return undefined;
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    const raw = colon < 0 ? '' : line.slice(colon + 1);
    const value = raw.startsWith(' ') ? raw.slice(1) : raw;
    if (field === 'event') this.event = value;
    else if (field === 'data') this.data.push(value);
    else if (field === 'id' && !value.includes('\u0000')) this.id = value;
    return undefined;
  }

  private dispatch(): ServerSentEvent | undefined {
    const hasData = this.data.length > 0;
    const event = { event: this.event || 'message', data: this.data.join('\n'), ...(this.id === undefined ? {} : { id: this.id }) };
    this.event = '';
    this.data = [];
    // Per the spec the last event id persists across events; each of ours carries its own anyway.
    return hasData || event.event !== 'message' ? event : undefined;
  }
}

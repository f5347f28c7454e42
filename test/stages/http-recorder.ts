import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedCall {
  readonly method: string;
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}

export type Reply = { readonly status: number; readonly headers?: Record<string, string>; readonly body?: unknown } | 'hang';

export interface Recorder {
  /** The server's base URL, `http://127.0.0.1:PORT`. */
  readonly url: string;
  readonly calls: RecordedCall[];
  close(): Promise<void>;
}

/**
 * A real HTTP server on 127.0.0.1 (a port the OS picks) that records every call and answers with
 * `reply(call, index)`: a status with a JSON (or text) body, or 'hang' to never answer.
 */
export async function startRecorder(reply: (call: RecordedCall, index: number) => Reply): Promise<Recorder> {
  const calls: RecordedCall[] = [];
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const call = { method: request.method ?? '', path: request.url ?? '', headers: request.headers, body: Buffer.concat(chunks).toString('utf8') };
      calls.push(call);
      const answer = reply(call, calls.length - 1);
      if (answer === 'hang') return;
      const text = answer.body === undefined ? '' : typeof answer.body === 'string' ? answer.body : JSON.stringify(answer.body);
      const type = typeof answer.body === 'string' ? 'text/plain' : 'application/json';
      response.writeHead(answer.status, { 'content-type': type, ...answer.headers });
      response.end(text);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    calls,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

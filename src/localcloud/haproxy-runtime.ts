import { createConnection } from 'node:net';

/**
 * One command on HAProxy's runtime API (its admin unix socket): HAProxy answers and closes the
 * connection. Rejects on a socket error or after `timeoutMs`.
 */
export function haproxyCommand(socketPath: string, command: string, timeoutMs = 2_000): Promise<string> {
  return new Promise((resolveAnswer, reject) => {
    const socket = createConnection(socketPath);
    let answer = '';
    socket.setEncoding('utf8');
    socket.setTimeout(timeoutMs, () => socket.destroy(new Error(`haproxy runtime API did not answer "${command}" in ${timeoutMs} ms`)));
    socket.on('data', (chunk: string) => (answer += chunk));
    socket.once('error', reject);
    socket.once('close', (hadError) => {
      if (!hadError) resolveAnswer(answer.trim());
    });
    socket.end(`${command}\n`);
  });
}

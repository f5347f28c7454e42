// The demo service Gennaker deploys: reports its version, answers /health, and misbehaves on request
// through its environment so deployments, health checks and canaries have something real to catch.
import { createServer } from 'node:http';

const env = process.env;
const port = Number(env.PORT ?? 8080);
const version = env.HELLO_VERSION ?? env.ARTIFACT_VERSION ?? 'unknown';
const instance = env.INSTANCE_ID ?? `pid-${process.pid}`;
const serverGroup = env.SERVER_GROUP ?? '';
const errorRate = Number(env.HELLO_ERROR_RATE ?? 0);
const latencyMs = Number(env.HELLO_LATENCY_MS ?? 0);
const unhealthy = env.HELLO_UNHEALTHY === 'true';
const crashAfterMs = Number(env.HELLO_CRASH_AFTER_MS ?? 0);

if (env.HELLO_FAIL_START === 'true') {
  console.error('hello-service: failing to start because HELLO_FAIL_START=true');
  process.exit(1);
}

function reply(response, status, body) {
  const text = JSON.stringify(body);
  response.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  response.end(text);
}

function handle(request, response) {
  const url = new URL(request.url ?? '/', 'http://localhost');
  if (url.pathname === '/health') {
    reply(response, unhealthy ? 503 : 200, { healthy: !unhealthy, version, instance });
    return;
  }
  if (url.pathname === '/connections') {
    // Open TCP connections, this one included: shows whether a balancer keeps (or closed) its keep-alive sockets.
    server.getConnections((error, count) => reply(response, 200, { connections: error ? -1 : count, instance }));
    return;
  }
  if (url.pathname === '/sleep') {
    // Headers now, body later: the caller knows the request is in flight here while it waits.
    const sleepMs = Math.min(Number(url.searchParams.get('ms') ?? 0), 60_000);
    response.writeHead(200, { 'content-type': 'application/json' });
    response.flushHeaders();
    setTimeout(() => response.end(JSON.stringify({ message: 'slept', sleptMs: sleepMs, version, instance, serverGroup })), sleepMs);
    return;
  }
  setTimeout(() => {
    if (errorRate > 0 && Math.random() < errorRate) {
      reply(response, 500, { error: 'injected failure (HELLO_ERROR_RATE)', version, instance, serverGroup });
      return;
    }
    reply(response, 200, { message: 'hello', version, instance, serverGroup, path: url.pathname });
  }, latencyMs);
}

const server = createServer(handle);
server.keepAliveTimeout = 30_000;
server.listen(port, '127.0.0.1', () => {
  console.log(`hello-service ${version} (${instance}) listening on 127.0.0.1:${port}`);
});

if (crashAfterMs > 0) {
  setTimeout(() => {
    console.error(`hello-service: crashing after ${crashAfterMs} ms because HELLO_CRASH_AFTER_MS is set`);
    process.exit(3);
  }, crashAfterMs);
}

process.on('SIGTERM', () => server.close(() => process.exit(0)));

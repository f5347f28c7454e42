import { createServer, request as httpRequest, type IncomingHttpHeaders, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { smoothWeightedPick } from '../core/cloud/index.js';
import { errorRegistry } from '../core/errors.js';
import type { BalancerBackend, TargetGroup, TargetSource } from './balancer.js';
import type { Instance } from './instance.js';
import type { LoadBalancerMetrics } from './metrics.js';
import type { LoadBalancerRecord } from './state-file.js';

const idempotentMethods = new Set(['GET', 'HEAD', 'PUT', 'DELETE', 'OPTIONS']);
const hopByHop = new Set(['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'upgrade', 'te', 'trailer']);
/** Attempts for an idempotent request whose connection to an instance fails before any answer. */
const maxAttempts = 3;

function forwardable(headers: IncomingHttpHeaders): IncomingHttpHeaders {
  const out: IncomingHttpHeaders = {};
  for (const name in headers) if (!hopByHop.has(name)) out[name] = headers[name];
  return out;
}

function hasBody(request: IncomingMessage): boolean {
  const length = request.headers['content-length'];
  return (length !== undefined && length !== '0') || request.headers['transfer-encoding'] !== undefined;
}

const noBody = Buffer.alloc(0);

function readBody(request: IncomingMessage): Promise<Buffer> {
  // Most requests (GET) have none: skip the listeners and the copy.
  if (!hasBody(request)) {
    request.resume();
    return Promise.resolve(noBody);
  }
  return new Promise((resolveBody, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.once('end', () => resolveBody(Buffer.concat(chunks)));
    request.once('error', reject);
  });
}

interface Pick {
  readonly serverGroup: string;
  readonly instance: Instance;
}

/**
 * Gennaker's own load balancer: a plain node:http reverse proxy (no framework on the hot path) with
 * keep-alive connections to the instances. Chooses a server group by smooth weighted round-robin, then
 * an instance of it round-robin; retries idempotent requests on another instance when the connection
 * fails before an answer.
 */
export class BuiltinBalancer implements BalancerBackend {
  private record: LoadBalancerRecord;
  private groupScores: ReadonlyMap<string, number> = new Map();
  private readonly instanceScores = new Map<string, ReadonlyMap<string, number>>();
  private readonly server: Server;

  private constructor(
    record: LoadBalancerRecord,
    private readonly targets: TargetSource,
    private readonly metrics: LoadBalancerMetrics,
  ) {
    this.record = record;
    this.server = createServer({ keepAliveTimeout: 30_000 }, (request, response) => void this.handle(request, response));
  }

  static async start(record: LoadBalancerRecord, targets: TargetSource, metrics: LoadBalancerMetrics, host: string): Promise<BuiltinBalancer> {
    const balancer = new BuiltinBalancer(record, targets, metrics);
    await new Promise<void>((resolveListen, reject) => {
      balancer.server.once('error', reject);
      balancer.server.listen(record.port, host, () => {
        balancer.server.off('error', reject);
        resolveListen();
      });
    });
    return balancer;
  }

  get port(): number {
    return (this.server.address() as AddressInfo).port;
  }

  async refresh(record: LoadBalancerRecord): Promise<void> {
    this.record = record;
  }

  async close(): Promise<void> {
    await new Promise<void>((resolveClose) => {
      this.server.close(() => resolveClose());
      this.server.closeAllConnections();
    });
  }

  private pick(excluded: ReadonlySet<Instance>): Pick | undefined {
    const groups: TargetGroup[] = [];
    for (const group of this.targets()) {
      const instances = excluded.size === 0 ? group.instances : group.instances.filter((instance) => !excluded.has(instance));
      if (instances.length > 0 && group.weight > 0) groups.push({ ...group, instances });
    }
    const groupPick = smoothWeightedPick(
      groups.map((group) => ({ key: group.serverGroup, weight: group.weight })),
      this.groupScores,
    );
    if (!groupPick) return undefined;
    this.groupScores = groupPick.scores;
    const group = groups.find((candidate) => candidate.serverGroup === groupPick.key)!;
    const instancePick = smoothWeightedPick(
      group.instances.map((instance) => ({ key: instance.id, weight: 1 })),
      this.instanceScores.get(group.serverGroup) ?? new Map(),
    )!;
    this.instanceScores.set(group.serverGroup, instancePick.scores);
    return { serverGroup: group.serverGroup, instance: group.instances.find((instance) => instance.id === instancePick.key)! };
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const started = performance.now();
    const { latencyMs } = this.record;
    if (latencyMs > 0) await new Promise((resolveDelay) => setTimeout(resolveDelay, latencyMs));
    const method = request.method ?? 'GET';
    const retryable = idempotentMethods.has(method);
    // A retryable request's body is kept so it can be sent again; others stream through once.
    const body = retryable ? await readBody(request).catch(() => undefined) : undefined;
    if (retryable && body === undefined) return void response.destroy();
    const tried = new Set<Instance>();
    const attempt = (): void => {
      const target = this.pick(tried);
      if (!target) return this.unavailable(response, started, tried.size);
      tried.add(target.instance);
      this.forward(request, response, target, body, started, (connectionFailed) => {
        if (response.destroyed) return;
        if (connectionFailed && retryable && tried.size < maxAttempts && !response.headersSent) attempt();
        else if (connectionFailed) this.badGateway(response, started, target.serverGroup);
      });
    };
    attempt();
  }

  private forward(
    request: IncomingMessage,
    response: ServerResponse,
    { serverGroup, instance }: Pick,
    body: Buffer | undefined,
    started: number,
    failed: (connectionFailed: boolean) => void,
  ): void {
    instance.requestStarted();
    let finished = false;
    const finish = (): void => {
      if (finished) return;
      finished = true;
      instance.requestFinished();
    };
    const upstream = httpRequest({
      host: '127.0.0.1',
      port: instance.launch.port,
      method: request.method,
      path: request.url,
      headers: { ...forwardable(request.headers), 'x-forwarded-for': request.socket.remoteAddress ?? '' },
      agent: instance.agent,
    });
    let answered = false;
    upstream.once('response', (answer) => {
      answered = true;
      const status = answer.statusCode ?? 502;
      response.writeHead(status, forwardable(answer.headers));
      // By hand rather than pipe(): pipe's half-dozen listeners per response showed in profiles.
      answer.on('data', (chunk: Buffer) => {
        if (!response.write(chunk)) {
          answer.pause();
          response.once('drain', () => answer.resume());
        }
      });
      answer.once('end', () => {
        response.end();
        finish();
        this.metrics.record(this.labels(serverGroup), status, (performance.now() - started) / 1000);
      });
      answer.once('error', () => {
        finish();
        response.destroy();
      });
    });
    upstream.once('error', () => {
      finish();
      if (answered) return void response.destroy();
      failed(true);
    });
    response.once('close', () => {
      if (!response.writableFinished) upstream.destroy();
      finish();
    });
    if (body === undefined) request.pipe(upstream);
    else if (body.length === 0) upstream.end();
    else upstream.end(body);
  }

  private labels(serverGroup: string) {
    return { account: this.record.account, region: this.record.region, loadBalancer: this.record.name, serverGroup };
  }

  private unavailable(response: ServerResponse, started: number, tried: number): void {
    const message =
      tried === 0
        ? `load balancer ${this.record.name} has no Up instance in an enabled server group with a positive weight`
        : `load balancer ${this.record.name}: ${tried} instance(s) refused the connection and no other is Up`;
    this.sendError(response, 503, 'GNK_E_NO_HEALTHY_BACKEND', message);
    this.metrics.record(this.labels('none'), 503, (performance.now() - started) / 1000);
  }

  private badGateway(response: ServerResponse, started: number, serverGroup: string): void {
    this.sendError(response, 502, 'GNK_E_NO_HEALTHY_BACKEND', `load balancer ${this.record.name}: the instance of ${serverGroup} closed the connection before answering`);
    this.metrics.record(this.labels(serverGroup), 502, (performance.now() - started) / 1000);
  }

  private sendError(response: ServerResponse, status: number, code: keyof typeof errorRegistry, message: string): void {
    if (response.headersSent) return void response.destroy();
    const text = JSON.stringify({ error: { code, message, details: [{ path: 'loadBalancer', expected: 'an Up instance' }] } });
    response.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
    response.end(text);
  }
}

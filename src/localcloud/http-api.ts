import Fastify, { LogController, type FastifyBaseLogger, type FastifyError, type FastifyInstance } from 'fastify';
import type { z } from 'zod';
import {
  chaosLatencySchema,
  chaosTerminateSchema,
  localCloudPaths as routes,
  operationRequestSchema,
  type CloudChange,
  type LocalCloudInfo,
} from '../core/cloud/index.js';
import { GennakerError, httpStatusByKind } from '../core/errors.js';
import { heartbeatComment, serverSentEvent } from '../core/live/server-sent-event.js';
import type { Logger } from '../log/logger.js';
import type { LocalCloud } from './local-cloud.js';
import type { LoadBalancerMetrics } from './metrics.js';


function parse<T extends z.ZodType>(schema: T, value: unknown, what: string): z.output<T> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const details = parsed.error.issues.map((issue) => ({ path: issue.path.join('.') || '(body)', expected: issue.message }));
  const summary = details.map((detail) => `${detail.path}: ${detail.expected}`).join('; ');
  throw new GennakerError('GNK_E_VALIDATION', `${what} is invalid: ${summary}`, details);
}

function sseEvent(change: CloudChange): string {
  return serverSentEvent({ id: change.seq, data: change });
}

export interface LocalCloudApiDependencies {
  readonly cloud: LocalCloud;
  readonly metrics: LoadBalancerMetrics;
  readonly info: () => LocalCloudInfo;
  readonly logger: Logger;
}

/** The daemon's HTTP API, as src/core/cloud/local-cloud-protocol.ts describes it. */
export function buildLocalCloudApi({ cloud, metrics, info, logger }: LocalCloudApiDependencies): FastifyInstance {
  const loggerInstance: FastifyBaseLogger = logger;
  const app = Fastify({ loggerInstance, logController: new LogController({ disableRequestLogging: true }), bodyLimit: 1024 * 1024, forceCloseConnections: true });

  app.setErrorHandler((error: FastifyError | GennakerError, request, reply) => {
    if (error instanceof GennakerError) {
      return reply.status(httpStatusByKind[error.kind]).send({ error: error.toJSON() });
    }
    const status = error.statusCode && error.statusCode < 500 ? error.statusCode : 500;
    if (status >= 500) request.log.error({ err: error }, 'request failed');
    const code = status >= 500 ? 'GNK_E_INTERNAL' : 'GNK_E_VALIDATION';
    return reply.status(status).send({ error: { code, message: status >= 500 ? 'unexpected internal error' : error.message, details: [] } });
  });
  app.setNotFoundHandler((request, reply) =>
    reply.status(404).send({ error: { code: 'GNK_E_NOT_FOUND', message: `no route ${request.method} ${request.url}`, details: [{ path: request.url }] } }),
  );

  app.get(routes.info, async () => info());

  app.post(routes.operations, async (request) => {
    const { clientToken, operation } = parse(operationRequestSchema, request.body, 'operation request');
    return cloud.apply(clientToken, operation);
  });

  app.get<{ Params: { clientToken: string } }>('/v1/operations/:clientToken', async (request) => {
    const status = cloud.operationStatus(request.params.clientToken);
    if (!status) throw new GennakerError('GNK_E_NOT_FOUND', `no operation with client token ${request.params.clientToken}`, [{ path: 'clientToken' }]);
    return status;
  });

  app.get<{ Params: { account: string; region: string } }>('/v1/accounts/:account/regions/:region', async (request) =>
    cloud.describe(request.params.account, request.params.region),
  );

  app.get<{ Querystring: { since?: string } }>(routes.changes, (request, reply) => {
    const raw = request.query.since ?? request.headers['last-event-id'];
    const sinceText = Array.isArray(raw) ? raw[0] : raw;
    if (sinceText !== undefined && !/^\d+$/.test(sinceText)) {
      throw new GennakerError('GNK_E_VALIDATION', `since must be a change seq, got ${sinceText}`, [{ path: 'since', expected: 'a non-negative integer' }]);
    }
    reply.hijack();
    const stream = reply.raw;
    stream.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' });
    const { replay, stop } = cloud.changes.subscribe(sinceText === undefined ? undefined : Number(sinceText), (change) =>
      stream.write(sseEvent(change)),
    );
    if (replay.gap) stream.write(serverSentEvent({ event: 'gap', data: { latestSeq: cloud.changes.latestSeq } }));
    for (const change of replay.changes) stream.write(sseEvent(change));
    // A comment now and then keeps idle connections from being cut by anything in between.
    const heartbeat = setInterval(() => stream.write(heartbeatComment), 15_000);
    request.raw.once('close', () => {
      clearInterval(heartbeat);
      stop();
    });
  });

  app.post(routes.chaosTerminate, async (request) => {
    const body = parse(chaosTerminateSchema, request.body, 'chaos terminate request');
    return { instanceId: cloud.chaosTerminate(body.account, body.region, body.instanceId, body.serverGroup) };
  });

  app.post(routes.chaosLatency, async (request, reply) => {
    const body = parse(chaosLatencySchema, request.body, 'chaos latency request');
    await cloud.chaosLatency(body.account, body.region, body.loadBalancer, body.ms);
    return reply.status(204).send();
  });

  app.get(routes.metrics, async (_request, reply) => {
    await cloud.collectMetrics();
    return reply.type('text/plain; version=0.0.4; charset=utf-8').send(metrics.render());
  });

  return app;
}

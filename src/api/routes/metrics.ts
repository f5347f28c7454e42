import type { PlatformMetrics } from '../metrics.js';
import type { ApiApp } from '../server.js';

/**
 * GET /metrics in the Prometheus text format, and the request-duration hook feeding it. Routes are
 * labelled by template (`/api/applications/:application`), never by URL, so label sets stay few.
 */
export function registerMetricsRoutes(app: ApiApp, metrics: PlatformMetrics): void {
  app.addHook('onResponse', async (request, reply) => {
    const route = request.routeOptions.url ?? 'unmatched';
    metrics.observeRequest(request.method, route, reply.statusCode, reply.elapsedTime / 1000);
  });
  app.get(
    '/metrics',
    { config: { access: { kind: 'public' } }, schema: { tags: ['platform'], summary: 'Prometheus metrics of the platform (text exposition format)' } },
    async (_request, reply) => reply.type(metrics.registry.contentType).send(await metrics.registry.metrics()),
  );
}

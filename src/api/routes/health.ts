import type { FastifyInstance } from 'fastify';

export interface HealthInfo {
  readonly version: string;
  readonly store: { readonly engine: string; readonly location: string };
}

export function registerHealthRoutes(app: FastifyInstance, info: HealthInfo): void {
  app.get('/health', async () => ({ status: 'UP', version: info.version, store: info.store }));
}

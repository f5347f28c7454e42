import type { FastifyInstance } from 'fastify';
import type { RouteAccess } from './access.js';

/** One registered route as the router knows it. */
export interface RouteEntry {
  readonly method: string;
  readonly url: string;
  readonly access: RouteAccess | undefined;
}

const tables = new WeakMap<FastifyInstance, RouteEntry[]>();

/** Records every route registered from now on, so tests can walk the router (the authorization test does). */
export function recordRoutes(app: FastifyInstance): void {
  const entries: RouteEntry[] = [];
  tables.set(app, entries);
  app.addHook('onRoute', (route) => {
    for (const method of [route.method].flat()) entries.push({ method, url: route.url, access: route.config?.access });
  });
}

export function routeTable(app: FastifyInstance): readonly RouteEntry[] {
  return tables.get(app) ?? [];
}

import type { ApiApp } from '../server.js';

export interface HealthInfo {
  readonly version: string;
  readonly store: { readonly engine: string; readonly location: string };
}

export function registerHealthRoutes(app: ApiApp, info: HealthInfo): void {
  app.get('/health', { config: { access: { kind: 'public' } }, schema: { tags: ['platform'], summary: 'Liveness, version and store' } }, async () => ({
    status: 'UP',
    version: info.version,
    store: info.store,
  }));
}

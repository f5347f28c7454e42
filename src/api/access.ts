import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { AccountAction, ApplicationAction, Principal } from '../core/auth/model.js';
import { GennakerError } from '../core/errors.js';

/** Finds the resource a request acts on (a path parameter, a body field, the execution's application). */
export type ResourceOf = (request: FastifyRequest) => Promise<string | undefined> | string | undefined;

/**
 * What a route demands of its caller. Every route declares one (`config.access`); a route without
 * it is refused at start-up, so no route is open by omission.
 */
export type RouteAccess =
  /** No credentials: health, metrics, the OpenAPI document, login. */
  | { readonly kind: 'public' }
  /** Any authenticated principal; the handler filters what it returns by permission. */
  | { readonly kind: 'authenticated' }
  | { readonly kind: 'admin' }
  | { readonly kind: 'application'; readonly action: ApplicationAction; readonly application: ResourceOf }
  | { readonly kind: 'account'; readonly action: AccountAction; readonly account: ResourceOf };

/** Authentication and the permission decisions, behind one interface so `--insecure-no-auth` is one implementation. */
export interface AccessControl {
  /** False under `--insecure-no-auth`: every caller is an administrator. */
  readonly enabled: boolean;
  /** The caller by session cookie or bearer token, or undefined when neither is valid. */
  authenticate(request: FastifyRequest): Promise<Principal | undefined>;
  canApplication(principal: Principal, application: string, action: ApplicationAction): Promise<boolean>;
  canAccount(principal: Principal, account: string, action: AccountAction): boolean;
}

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: RouteAccess;
  }
  interface FastifyRequest {
    /** Set for every route that is not public. */
    principal?: Principal;
    /** The application an `application` route acts on, as its access check resolved it (for the audit record). */
    accessedApplication?: string;
  }
}

/** The caller of a non-public route; throws when a handler of a public route asks. */
export function principalOf(request: FastifyRequest): Principal {
  if (request.principal === undefined) throw new GennakerError('GNK_E_UNAUTHENTICATED', 'this request carries no credentials');
  return request.principal;
}

export const insecureNoAuthPrincipal: Principal = { name: 'anonymous', kind: 'user', roles: [], admin: true, via: 'insecure-no-auth' };

/** `--insecure-no-auth`: everyone is an administrator. */
export const openAccessControl: AccessControl = {
  enabled: false,
  authenticate: () => Promise.resolve(insecureNoAuthPrincipal),
  canApplication: () => Promise.resolve(true),
  canAccount: () => true,
};

async function requireAccess(control: AccessControl, access: RouteAccess, request: FastifyRequest): Promise<void> {
  if (access.kind === 'public') return;
  const principal = await control.authenticate(request);
  if (principal === undefined) {
    throw new GennakerError('GNK_E_UNAUTHENTICATED', 'log in or send an API token (Authorization: Bearer …)');
  }
  request.principal = principal;
  switch (access.kind) {
    case 'authenticated':
      return;
    case 'admin':
      if (!principal.admin) throw forbidden(principal, 'the administrator role');
      return;
    case 'application': {
      const application = await access.application(request);
      if (application === undefined) throw new GennakerError('GNK_E_NOT_FOUND', `no such resource: ${request.url}`);
      request.accessedApplication = application;
      if (!(await control.canApplication(principal, application, access.action))) {
        throw forbidden(principal, `${access.action} on application ${application}`);
      }
      return;
    }
    case 'account': {
      const account = await access.account(request);
      if (account === undefined) throw new GennakerError('GNK_E_NOT_FOUND', `no such resource: ${request.url}`);
      if (!control.canAccount(principal, account, access.action)) throw forbidden(principal, `${access.action} on account ${account}`);
      return;
    }
  }
}

export function forbidden(principal: Principal, needed: string): GennakerError {
  return new GennakerError('GNK_E_FORBIDDEN', `${principal.name} lacks ${needed}`, [{ expected: needed }]);
}

/**
 * Checks every request against its route's declared access before the body is validated, so a caller
 * without permission learns nothing from validation errors. Registering a route without `config.access`
 * throws, at start-up.
 */
export function installAccessControl(app: FastifyInstance, control: AccessControl): void {
  app.addHook('onRoute', (route) => {
    if (route.config?.access === undefined && !route.url.startsWith('/api/docs')) {
      throw new Error(`route ${String(route.method)} ${route.url} declares no config.access`);
    }
  });
  app.addHook('preValidation', async (request) => {
    const access = request.routeOptions.config.access ?? { kind: 'public' as const };
    await requireAccess(control, access, request);
  });
}

import type {} from '@fastify/cookie';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { accountActions, applicationActions } from '../../core/auth/model.js';
import { applicationPermissionsOf, principalFor, summarisePermissions } from '../../core/auth/permissions.js';
import type { AuditRecorder } from '../../core/audit/event.js';
import { GennakerError } from '../../core/errors.js';
import type { Store } from '../../store/store.js';
import { principalOf } from '../access.js';
import { newSessionId, sha256Hex, unmatchableHash, verifyPassword } from '../auth/credentials.js';
import { sessionCookieName, type AuthSettings } from '../auth/settings.js';
import type { ApiApp } from '../server.js';

export interface AuthRouteDependencies {
  readonly store: Store;
  readonly audit: AuditRecorder;
  readonly settings: AuthSettings;
}

const unknownUser = '(unknown user)';

const loginBody = z.strictObject({ username: z.string().min(1).max(200), password: z.string().min(1).max(1024) });

const meResponse = z.object({
  name: z.string(),
  kind: z.enum(['user', 'service']),
  roles: z.array(z.string()),
  admin: z.boolean(),
  via: z.enum(['session', 'token', 'trigger', 'insecure-no-auth']),
  permissions: z.object({
    applications: z.record(z.string(), z.array(z.enum(applicationActions)).readonly()),
    accounts: z.record(z.string(), z.array(z.enum(accountActions)).readonly()),
  }),
});

const loggedInResponse = z.object({ name: z.string(), roles: z.array(z.string()), admin: z.boolean(), expiresAt: z.number() });

/** Secure when the request came over https, or when the configuration says a proxy in front terminates TLS. */
function setSessionCookie(request: FastifyRequest, reply: FastifyReply, sessionId: string, settings: AuthSettings): void {
  reply.setCookie(sessionCookieName, sessionId, {
    httpOnly: true,
    sameSite: 'strict',
    path: '/',
    secure: settings.secureCookies || request.protocol === 'https',
    maxAge: Math.floor(settings.sessionTtlMs / 1000),
  });
}

export function registerAuthRoutes(app: ApiApp, { store, audit, settings }: AuthRouteDependencies): void {
  app.post(
    '/api/auth/login',
    {
      config: { access: { kind: 'public' }, audit: false },
      schema: { tags: ['auth'], summary: 'Log in with a local user name and password; sets the session cookie', body: loginBody, response: { 200: loggedInResponse } },
    },
    async (request, reply) => {
      const { username, password } = request.body;
      const user = await store.users.get(username);
      // Always one scrypt check, whether the user exists or not, so timing does not tell which part was wrong.
      const storedHash = user?.kind === 'user' && user.passwordHash !== null ? user.passwordHash : unmatchableHash;
      const matches = await verifyPassword(password, storedHash);
      if (user === undefined || storedHash === unmatchableHash || !matches) {
        // An unknown name is not recorded: people type their password into the name field often enough.
        const known = user?.name ?? unknownUser;
        await audit.record({ actor: known, action: 'auth.login-failed', target: { type: 'user', id: known }, summary: { reason: 'wrong user name or password' } });
        throw new GennakerError('GNK_E_UNAUTHENTICATED', 'wrong user name or password');
      }
      const at = Date.now();
      await store.sessions.deleteExpired(at);
      const sessionId = newSessionId();
      const expiresAt = at + settings.sessionTtlMs;
      await store.sessions.create({ idSha256: sha256Hex(sessionId), user: user.name, createdAt: at, expiresAt });
      setSessionCookie(request, reply, sessionId, settings);
      await audit.record({ actor: user.name, action: 'auth.login', target: { type: 'user', id: user.name }, summary: { expiresAt } });
      const principal = principalFor(user, settings.adminRole, 'session');
      return { name: principal.name, roles: [...principal.roles], admin: principal.admin, expiresAt };
    },
  );

  app.post(
    '/api/auth/logout',
    {
      // Public so that a stale or expired cookie can always be cleared.
      config: { access: { kind: 'public' }, audit: false },
      schema: { tags: ['auth'], summary: 'End the session of the cookie sent, and clear it', response: { 204: z.null() } },
    },
    async (request, reply) => {
      const sessionId = request.cookies[sessionCookieName];
      if (sessionId !== undefined) {
        const idSha256 = sha256Hex(sessionId);
        const session = await store.sessions.find(idSha256);
        if (session !== undefined && (await store.sessions.delete(idSha256))) {
          await audit.record({ actor: session.user, action: 'auth.logout', target: { type: 'user', id: session.user } });
        }
      }
      reply.clearCookie(sessionCookieName, { path: '/' });
      return reply.status(204).send(null);
    },
  );

  app.get(
    '/api/auth/me',
    {
      config: { access: { kind: 'authenticated' } },
      schema: { tags: ['auth'], summary: 'Who the caller is, and what they may do on each application and account', response: { 200: meResponse } },
    },
    async (request) => {
      const principal = principalOf(request);
      const applications = (await store.applications.list()).map((record) => ({ name: record.name, permissions: applicationPermissionsOf(record.attributes) }));
      return {
        name: principal.name,
        kind: principal.kind,
        roles: [...principal.roles],
        admin: principal.admin,
        via: principal.via,
        permissions: summarisePermissions(principal, applications, settings.accounts),
      };
    },
  );
}

import type {} from '@fastify/cookie';
import { z } from 'zod';
import type { AuditRecorder } from '../../core/audit/event.js';
import { GennakerError } from '../../core/errors.js';
import type { Store } from '../../store/store.js';
import type { StoredUser } from '../../store/users.js';
import { forbidden, principalOf } from '../access.js';
import { hashPassword, sha256Hex, verifyPassword } from '../auth/credentials.js';
import { sessionCookieName, type AuthSettings } from '../auth/settings.js';
import type { ApiApp } from '../server.js';

export interface UserRouteDependencies {
  readonly store: Store;
  readonly audit: AuditRecorder;
  readonly settings: AuthSettings;
}

const userName = z.string().regex(/^[a-zA-Z0-9._@-]{1,64}$/, { error: 'expected 1 to 64 letters, digits, ".", "_", "@" and "-"' });
const roleName = z.string().regex(/^[a-zA-Z0-9._:@-]{1,64}$/, { error: 'expected a role name: 1 to 64 letters, digits, ".", "_", ":", "@" and "-"' });
const roleList = z.array(roleName).max(100);
/** Long enough that guessing is hopeless; no composition rules (they push people to predictable patterns). */
const newPassword = z.string().min(12, { error: 'expected at least 12 characters' }).max(1024);

const userView = z.object({
  name: z.string(),
  kind: z.enum(['user', 'service']),
  roles: z.array(z.string()),
  admin: z.boolean(),
  createdAt: z.number(),
  updatedAt: z.number(),
});

const nameParams = z.strictObject({ name: z.string() });

const createBody = z.strictObject({
  name: userName,
  kind: z.enum(['user', 'service']).default('user'),
  roles: roleList.default([]),
  /** Required for users; service accounts have none (they authenticate by API token only). */
  password: newPassword.optional(),
});

const passwordBody = z.strictObject({ password: newPassword, oldPassword: z.string().max(1024).optional() });

export function registerUserRoutes(app: ApiApp, { store, audit, settings }: UserRouteDependencies): void {
  const view = (user: StoredUser): z.infer<typeof userView> => ({
    name: user.name,
    kind: user.kind,
    roles: [...user.roles],
    admin: user.roles.includes(settings.adminRole),
    createdAt: user.createdAt,
    updatedAt: user.updatedAt,
  });

  async function existing(name: string): Promise<StoredUser> {
    const user = await store.users.get(name);
    if (user === undefined) throw new GennakerError('GNK_E_NOT_FOUND', `user '${name}' does not exist`, [{ path: 'params.name' }]);
    return user;
  }

  /** Nobody could manage users again: refuse to remove or demote the last holder of the administrator role. */
  async function keepAnAdministrator(name: string, rolesAfter: readonly string[] | undefined): Promise<void> {
    if (rolesAfter?.includes(settings.adminRole)) return;
    const others = (await store.users.list()).filter((user) => user.name !== name && user.roles.includes(settings.adminRole));
    const target = await store.users.get(name);
    if (target?.roles.includes(settings.adminRole) && others.length === 0) {
      throw new GennakerError('GNK_E_OPERATION_REFUSED', `'${name}' is the last administrator; make another one first`, [
        { path: 'params.name', expected: 'a user who is not the last administrator' },
      ]);
    }
  }

  app.get(
    '/api/users',
    { config: { access: { kind: 'admin' } }, schema: { tags: ['users'], summary: 'Every local user and service account', response: { 200: z.array(userView) } } },
    async () => (await store.users.list()).map(view),
  );

  app.post(
    '/api/users',
    {
      config: { access: { kind: 'admin' }, audit: false },
      schema: { tags: ['users'], summary: 'Create a user (with a password) or a service account (without)', body: createBody, response: { 201: userView } },
    },
    async (request, reply) => {
      const { name, kind, roles, password } = request.body;
      if (kind === 'user' && password === undefined) {
        throw new GennakerError('GNK_E_VALIDATION', 'a user needs a password', [{ path: 'body.password', expected: 'a password of at least 12 characters' }]);
      }
      if (kind === 'service' && password !== undefined) {
        throw new GennakerError('GNK_E_VALIDATION', 'a service account has no password (it uses API tokens)', [{ path: 'body.password', expected: 'no password' }]);
      }
      const user = await store.users.create({ name, kind, roles, passwordHash: password === undefined ? null : await hashPassword(password) });
      await audit.record({ actor: principalOf(request).name, action: 'user.create', target: { type: 'user', id: name }, summary: { kind, roles } });
      return reply.status(201).send(view(user));
    },
  );

  app.get(
    '/api/users/:name',
    { config: { access: { kind: 'admin' } }, schema: { tags: ['users'], summary: 'One user or service account', params: nameParams, response: { 200: userView } } },
    async (request) => view(await existing(request.params.name)),
  );

  app.delete(
    '/api/users/:name',
    {
      config: { access: { kind: 'admin' }, audit: false },
      schema: { tags: ['users'], summary: 'Delete a user with their tokens and sessions', params: nameParams, response: { 204: z.null() } },
    },
    async (request, reply) => {
      const user = await existing(request.params.name);
      await keepAnAdministrator(user.name, undefined);
      await store.users.delete(user.name);
      await audit.record({ actor: principalOf(request).name, action: 'user.delete', target: { type: 'user', id: user.name }, summary: { kind: user.kind, roles: user.roles } });
      return reply.status(204).send(null);
    },
  );

  app.put(
    '/api/users/:name/roles',
    {
      config: { access: { kind: 'admin' }, audit: false },
      schema: { tags: ['users'], summary: "Replace a user's roles", params: nameParams, body: z.strictObject({ roles: roleList }), response: { 200: userView } },
    },
    async (request) => {
      const before = await existing(request.params.name);
      await keepAnAdministrator(before.name, request.body.roles);
      const after = await store.users.setRoles(before.name, request.body.roles);
      await audit.record({
        actor: principalOf(request).name,
        action: 'user.roles',
        target: { type: 'user', id: after.name },
        summary: { before: before.roles, after: after.roles },
      });
      return view(after);
    },
  );

  app.put(
    '/api/users/:name/password',
    {
      // Administrators set anyone's password; a user changes their own with the old one (checked below).
      config: { access: { kind: 'authenticated' }, audit: false },
      schema: {
        tags: ['users'],
        summary: "Set a user's password: administrators for anyone, a user for themself with oldPassword",
        params: nameParams,
        body: passwordBody,
        response: { 204: z.null() },
      },
    },
    async (request, reply) => {
      const principal = principalOf(request);
      const { password, oldPassword } = request.body;
      if (!principal.admin) {
        if (principal.name !== request.params.name) throw forbidden(principal, 'the administrator role');
        const self = await existing(principal.name);
        if (oldPassword === undefined || self.passwordHash === null || !(await verifyPassword(oldPassword, self.passwordHash))) {
          throw new GennakerError('GNK_E_FORBIDDEN', 'the old password does not match', [{ path: 'body.oldPassword', expected: 'your current password' }]);
        }
      }
      const user = await existing(request.params.name);
      if (user.kind !== 'user') {
        throw new GennakerError('GNK_E_VALIDATION', 'a service account has no password', [{ path: 'params.name', expected: 'a user, not a service account' }]);
      }
      await store.users.setPasswordHash(user.name, await hashPassword(password));
      // Sessions opened with the old password end; the caller's own session survives its change.
      const cookie = principal.via === 'session' ? request.cookies[sessionCookieName] : undefined;
      const keep = cookie === undefined ? undefined : sha256Hex(cookie);
      await store.sessions.deleteForUser(user.name, keep);
      await audit.record({ actor: principal.name, action: 'user.password', target: { type: 'user', id: user.name } });
      return reply.status(204).send(null);
    },
  );
}

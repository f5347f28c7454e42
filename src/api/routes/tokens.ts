import { z } from 'zod';
import { tokenExpiry } from '../../core/auth/credentials.js';
import type { AuditRecorder } from '../../core/audit/event.js';
import { GennakerError } from '../../core/errors.js';
import type { StoredApiToken } from '../../store/api-tokens.js';
import type { Store } from '../../store/store.js';
import { forbidden, principalOf } from '../access.js';
import { newApiToken, newTokenId, sha256Hex } from '../auth/credentials.js';
import type { ApiApp } from '../server.js';

export interface TokenRouteDependencies {
  readonly store: Store;
  readonly audit: AuditRecorder;
}

const tokenView = z.object({
  id: z.string(),
  owner: z.string(),
  name: z.string(),
  createdAt: z.number(),
  expiresAt: z.number().nullable(),
  lastUsedAt: z.number().nullable(),
  revokedAt: z.number().nullable(),
});

const createBody = z.strictObject({
  name: z.string().min(1).max(100),
  expiresInDays: z.number().int().min(1).max(3650).optional(),
  /** Administrators only: make the token for this service account instead of for themselves. */
  owner: z.string().min(1).max(64).optional(),
});

const view = (token: StoredApiToken): z.infer<typeof tokenView> => ({ ...token });

export function registerTokenRoutes(app: ApiApp, { store, audit }: TokenRouteDependencies): void {
  app.post(
    '/api/tokens',
    {
      config: { access: { kind: 'authenticated' }, audit: false },
      schema: {
        tags: ['tokens'],
        summary: 'Create an API token; the token is in this answer and nowhere else, ever',
        body: createBody,
        response: { 201: tokenView.extend({ token: z.string() }) },
      },
    },
    async (request, reply) => {
      const principal = principalOf(request);
      const ownerName = request.body.owner ?? principal.name;
      const owner = await store.users.get(ownerName);
      if (owner === undefined) {
        throw new GennakerError('GNK_E_NOT_FOUND', `no user '${ownerName}' to own the token`, [{ path: 'body.owner', expected: 'an existing user or service account' }]);
      }
      if (owner.name !== principal.name) {
        // Minting a token for a person would let an administrator act as them unseen; service accounts only.
        if (!principal.admin) throw forbidden(principal, 'the administrator role');
        if (owner.kind !== 'service') {
          throw new GennakerError('GNK_E_VALIDATION', 'tokens for other principals are for service accounts only', [
            { path: 'body.owner', expected: 'a service account (or leave it out for your own token)' },
          ]);
        }
      }
      const secret = newApiToken();
      const createdAt = Date.now();
      const token = await store.apiTokens.create({
        id: newTokenId(),
        owner: owner.name,
        name: request.body.name,
        tokenSha256: sha256Hex(secret),
        createdAt,
        expiresAt: tokenExpiry(createdAt, request.body.expiresInDays),
      });
      await audit.record({
        actor: principal.name,
        action: 'token.create',
        target: { type: 'token', id: token.id },
        summary: { owner: token.owner, name: token.name, expiresAt: token.expiresAt },
      });
      return reply.status(201).send({ ...view(token), token: secret });
    },
  );

  app.get(
    '/api/tokens',
    {
      config: { access: { kind: 'authenticated' } },
      schema: { tags: ['tokens'], summary: "The caller's tokens (administrators: everyone's); never the tokens themselves", response: { 200: z.array(tokenView) } },
    },
    async (request) => {
      const principal = principalOf(request);
      return (await store.apiTokens.list(principal.admin ? undefined : principal.name)).map(view);
    },
  );

  app.delete(
    '/api/tokens/:id',
    {
      config: { access: { kind: 'authenticated' }, audit: false },
      schema: { tags: ['tokens'], summary: 'Revoke a token (its owner or an administrator)', params: z.strictObject({ id: z.string() }), response: { 200: tokenView } },
    },
    async (request) => {
      const principal = principalOf(request);
      const token = await store.apiTokens.get(request.params.id);
      // Someone else's token answers as absent: ids are not secret, but whose they are is nobody else's business.
      if (token === undefined || (token.owner !== principal.name && !principal.admin)) {
        throw new GennakerError('GNK_E_NOT_FOUND', `no token ${request.params.id}`, [{ path: 'params.id' }]);
      }
      const at = Date.now();
      if (await store.apiTokens.revoke(token.id, at)) {
        await audit.record({ actor: principal.name, action: 'token.revoke', target: { type: 'token', id: token.id }, summary: { owner: token.owner, name: token.name } });
      }
      return view((await store.apiTokens.get(token.id)) ?? token);
    },
  );
}

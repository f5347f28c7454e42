import type { FastifyRequest } from 'fastify';
import type {} from '@fastify/cookie';
import { bearerCredential, looksLikeApiToken, sessionState, shouldRecordTokenUse, tokenState } from '../../core/auth/credentials.js';
import type { Principal } from '../../core/auth/model.js';
import { applicationPermissionsOf, mayAccount, mayApplication, principalFor } from '../../core/auth/permissions.js';
import type { Store } from '../../store/store.js';
import type { AccessControl } from '../access.js';
import { sha256Hex } from './credentials.js';
import { sessionCookieName, type AuthSettings } from './settings.js';

/**
 * Authentication against the store (API tokens, then session cookies) and the permission decisions
 * of core/auth over application records and the configured accounts.
 */
export function storeAccessControl(store: Store, settings: AuthSettings, now: () => number = Date.now): AccessControl {
  const accountPermissions = new Map(settings.accounts.map((account) => [account.name, account.permissions]));

  async function userPrincipal(name: string, via: Principal['via']): Promise<Principal | undefined> {
    const user = await store.users.get(name);
    return user === undefined ? undefined : principalFor(user, settings.adminRole, via);
  }

  async function byToken(credential: string): Promise<Principal | undefined> {
    if (!looksLikeApiToken(credential)) return undefined;
    const token = await store.apiTokens.findBySha256(sha256Hex(credential));
    const at = now();
    if (token === undefined || tokenState(token, at).kind !== 'usable') return undefined;
    if (shouldRecordTokenUse(token.lastUsedAt, at)) await store.apiTokens.recordUse(token.id, at);
    return userPrincipal(token.owner, 'token');
  }

  async function bySession(sessionId: string): Promise<Principal | undefined> {
    const session = await store.sessions.find(sha256Hex(sessionId));
    if (session === undefined || sessionState(session, now()).kind !== 'usable') return undefined;
    return userPrincipal(session.user, 'session');
  }

  return {
    enabled: true,
    authenticate(request: FastifyRequest) {
      // A request that presents a token is judged by the token alone, never rescued by a cookie.
      const header = request.headers.authorization;
      if (header !== undefined) {
        const credential = bearerCredential(header);
        return credential === undefined ? Promise.resolve(undefined) : byToken(credential);
      }
      const sessionId = request.cookies[sessionCookieName];
      return sessionId === undefined ? Promise.resolve(undefined) : bySession(sessionId);
    },
    async canApplication(principal, application, action) {
      if (principal.admin) return true;
      const record = await store.applications.get(application);
      return mayApplication(principal, record === undefined ? undefined : applicationPermissionsOf(record.attributes), action);
    },
    canAccount: (principal, account, action) => mayAccount(principal, accountPermissions.get(account), action),
  };
}

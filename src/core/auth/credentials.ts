/**
 * Rules about credentials that need no I/O: the shape of an API token, when a token or a session may
 * still be used, and how often a token's last use is worth writing down.
 */

export const apiTokenPrefix = 'gnk_';
/** `gnk_` and 32 random bytes in base64url (43 characters, no padding). */
const apiTokenPattern = /^gnk_[A-Za-z0-9_-]{43}$/;

export function looksLikeApiToken(value: string): boolean {
  return apiTokenPattern.test(value);
}

/** The credential of an `Authorization: Bearer …` header, if the header is one. */
export function bearerCredential(header: string | undefined): string | undefined {
  const match = header === undefined ? null : /^Bearer +(\S+) *$/i.exec(header);
  return match?.[1];
}

export type CredentialState = { readonly kind: 'usable' } | { readonly kind: 'revoked' } | { readonly kind: 'expired' };

export function tokenState(token: { readonly revokedAt: number | null; readonly expiresAt: number | null }, now: number): CredentialState {
  if (token.revokedAt !== null) return { kind: 'revoked' };
  if (token.expiresAt !== null && token.expiresAt <= now) return { kind: 'expired' };
  return { kind: 'usable' };
}

export function sessionState(session: { readonly expiresAt: number }, now: number): CredentialState {
  return session.expiresAt <= now ? { kind: 'expired' } : { kind: 'usable' };
}

/**
 * A token's "last used" is for people judging whether a token is still needed; minute precision
 * serves them, and writing it on every request would turn every read into a write.
 */
export const tokenUseRecordIntervalMs = 60_000;

export function shouldRecordTokenUse(lastUsedAt: number | null, now: number): boolean {
  return lastUsedAt === null || now - lastUsedAt >= tokenUseRecordIntervalMs;
}

const dayMs = 24 * 60 * 60 * 1000;

export function tokenExpiry(createdAt: number, expiresInDays: number | undefined): number | null {
  return expiresInDays === undefined ? null : createdAt + expiresInDays * dayMs;
}

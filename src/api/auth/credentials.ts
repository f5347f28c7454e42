import { createHash, randomBytes, randomUUID, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import { apiTokenPrefix } from '../../core/auth/credentials.js';

/**
 * Making and checking secrets: scrypt password hashes, API tokens, session ids. Only hashes reach the
 * store; the secrets themselves are handed to their owner once.
 */

/**
 * scrypt cost: N = 2^15, r = 8, p = 1 (32 MiB; about 0.1–0.2 s per check on a busy two-core machine):
 * above Node's default N = 2^14, below OWASP's 2^17 so that logins stay quick on small hosts.
 */
const cost = { N: 32768, r: 8, p: 1 } as const;
const keyLength = 64;
const saltLength = 16;

function scryptAsync(password: string, salt: Buffer, params: { N: number; r: number; p: number }): Promise<Buffer> {
  const options: ScryptOptions = { ...params, maxmem: 256 * params.N * params.r };
  return new Promise((resolve, reject) =>
    scrypt(password.normalize('NFC'), salt, keyLength, options, (error, key) => (error ? reject(error) : resolve(key))),
  );
}

/** `scrypt$N$r$p$salt$hash`: the parameters travel with the hash so they can be raised later without breaking old ones. */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(saltLength);
  const key = await scryptAsync(password, salt, cost);
  return ['scrypt', cost.N, cost.r, cost.p, salt.toString('base64url'), key.toString('base64url')].join('$');
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, n, r, p, salt, hash] = stored.split('$');
  if (scheme !== 'scrypt' || salt === undefined || hash === undefined) return false;
  const expected = Buffer.from(hash, 'base64url');
  const actual = await scryptAsync(password, Buffer.from(salt, 'base64url'), { N: Number(n), r: Number(r), p: Number(p) });
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

/**
 * A hash no password matches, checked when the user does not exist so that a wrong name costs as
 * much time as a wrong password and the answer's timing does not tell them apart.
 */
export const unmatchableHash = `scrypt$${cost.N}$${cost.r}$${cost.p}$${Buffer.alloc(saltLength).toString('base64url')}$${Buffer.alloc(keyLength).toString('base64url')}`;

export function sha256Hex(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

export function newApiToken(): string {
  return `${apiTokenPrefix}${randomBytes(32).toString('base64url')}`;
}

export function newSessionId(): string {
  return randomBytes(32).toString('base64url');
}

export function newTokenId(): string {
  return randomUUID();
}

/** 24 random bytes as base64url: 32 characters, for the bootstrap administrator and test users. */
export function randomPassword(): string {
  return randomBytes(24).toString('base64url');
}

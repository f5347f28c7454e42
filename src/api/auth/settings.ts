import type { AccountPermissions } from '../../core/auth/model.js';
import type { Config } from '../../config/schema.js';

/** What the authentication routes and the access control read from the configuration. */
export interface AuthSettings {
  readonly adminRole: string;
  readonly sessionTtlMs: number;
  /** Always mark the session cookie Secure (it is anyway when the request came over https). */
  readonly secureCookies: boolean;
  /** Every configured account with the roles granted on it; an account not listed is closed. */
  readonly accounts: readonly { readonly name: string; readonly permissions: AccountPermissions | undefined }[];
}

export const sessionCookieName = 'gennaker_session';

export function authSettingsFrom(config: Config): AuthSettings {
  return {
    adminRole: config.auth.adminRole,
    sessionTtlMs: config.auth.sessionTtlHours * 60 * 60 * 1000,
    secureCookies: config.auth.secureCookies,
    accounts: config.localCloud.accounts.map((account) => ({ name: account.name, permissions: account.permissions })),
  };
}

/** The settings of a default configuration: admin role `admin`, 12-hour sessions, no account grants. */
export const defaultAuthSettings: AuthSettings = { adminRole: 'admin', sessionTtlMs: 12 * 60 * 60 * 1000, secureCookies: false, accounts: [] };

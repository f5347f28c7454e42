/**
 * Who is calling, and what grants look like. Grants go to roles only, never to users (Fiat); an
 * application or account with no grant for an action is closed to everyone but administrators.
 */
export const applicationActions = ['READ', 'WRITE', 'EXECUTE'] as const;
export type ApplicationAction = (typeof applicationActions)[number];

export const accountActions = ['READ', 'WRITE'] as const;
export type AccountAction = (typeof accountActions)[number];

/** Roles granted each action, e.g. `{ READ: ['dev', 'ops'], WRITE: ['ops'] }`. */
export type ApplicationPermissions = Partial<Record<ApplicationAction, readonly string[]>>;
export type AccountPermissions = Partial<Record<AccountAction, readonly string[]>>;

export type PrincipalKind = 'user' | 'service';

/** An authenticated caller: a local user (by session or API token) or a service account (automatic triggers). */
export interface Principal {
  readonly name: string;
  readonly kind: PrincipalKind;
  readonly roles: readonly string[];
  /** Holds the administrator role: every permission, and user and role management. */
  readonly admin: boolean;
  /** How the caller proved who they are. */
  readonly via: 'session' | 'token' | 'trigger' | 'insecure-no-auth';
}

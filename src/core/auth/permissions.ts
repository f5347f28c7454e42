import { z } from 'zod';
import {
  accountActions,
  applicationActions,
  type AccountAction,
  type AccountPermissions,
  type ApplicationAction,
  type ApplicationPermissions,
  type Principal,
} from './model.js';

/**
 * The permission decisions (Fiat's semantics, closed by default). Grants go to roles only; an
 * administrator may do everything; an action nobody is granted is open to administrators alone.
 */

/**
 * Grants that satisfy each application action. WRITE implies EXECUTE and READ: whoever may change
 * a pipeline can already make it do anything, so refusing them a run protects nothing. EXECUTE
 * implies READ: running a pipeline without seeing its configuration and executions would leave the
 * operator blind (a manual judgment cannot be answered unseen).
 */
const applicationGrantsSatisfying: Readonly<Record<ApplicationAction, readonly ApplicationAction[]>> = {
  READ: ['READ', 'EXECUTE', 'WRITE'],
  EXECUTE: ['EXECUTE', 'WRITE'],
  WRITE: ['WRITE'],
};

function holdsAny(principal: Principal, roles: readonly string[] | undefined): boolean {
  return roles !== undefined && roles.some((role) => principal.roles.includes(role));
}

export function mayApplication(principal: Principal, permissions: ApplicationPermissions | undefined, action: ApplicationAction): boolean {
  if (principal.admin) return true;
  return applicationGrantsSatisfying[action].some((granted) => holdsAny(principal, permissions?.[granted]));
}

/** On accounts READ and WRITE are independent (Fiat): deploying somewhere does not entitle one to look around. */
export function mayAccount(principal: Principal, permissions: AccountPermissions | undefined, action: AccountAction): boolean {
  if (principal.admin) return true;
  return holdsAny(principal, permissions?.[action]);
}

export type MissingPermission =
  | { readonly resource: 'application'; readonly name: string; readonly action: 'EXECUTE' }
  | { readonly resource: 'account'; readonly name: string; readonly action: 'WRITE' };

export type PipelineRunDecision = { readonly kind: 'allowed' } | { readonly kind: 'denied'; readonly missing: readonly MissingPermission[] };

export interface PipelineRunTarget {
  readonly application: { readonly name: string; readonly permissions: ApplicationPermissions | undefined };
  /** Every account the pipeline deploys to, with its configured permissions (undefined: none configured). */
  readonly accounts: readonly { readonly name: string; readonly permissions: AccountPermissions | undefined }[];
}

/** Running a pipeline needs EXECUTE on its application and WRITE on every account it deploys to; names all that is missing. */
export function decidePipelineRun(principal: Principal, target: PipelineRunTarget): PipelineRunDecision {
  const missing: MissingPermission[] = [];
  if (!mayApplication(principal, target.application.permissions, 'EXECUTE')) {
    missing.push({ resource: 'application', name: target.application.name, action: 'EXECUTE' });
  }
  const seen = new Set<string>();
  for (const account of target.accounts) {
    if (seen.has(account.name)) continue;
    seen.add(account.name);
    if (!mayAccount(principal, account.permissions, 'WRITE')) missing.push({ resource: 'account', name: account.name, action: 'WRITE' });
  }
  return missing.length === 0 ? { kind: 'allowed' } : { kind: 'denied', missing };
}

export function describeMissing(missing: MissingPermission): string {
  return `${missing.action} on ${missing.resource} ${missing.name}`;
}

const roleList = z.array(z.string().min(1));

export const applicationPermissionsSchema = z.strictObject({ READ: roleList.optional(), WRITE: roleList.optional(), EXECUTE: roleList.optional() });
export const accountPermissionsSchema = z.strictObject({ READ: roleList.optional(), WRITE: roleList.optional() });

/**
 * An application record's `permissions` attribute. A malformed value grants nothing rather than
 * failing the request: closed is the safe reading of a grant one cannot understand.
 */
export function applicationPermissionsOf(attributes: Readonly<Record<string, unknown>>): ApplicationPermissions | undefined {
  const parsed = applicationPermissionsSchema.safeParse(attributes['permissions']);
  return parsed.success ? parsed.data : undefined;
}

export interface PermissionSummary {
  readonly applications: Readonly<Record<string, readonly ApplicationAction[]>>;
  readonly accounts: Readonly<Record<string, readonly AccountAction[]>>;
}

/** What the principal may do on each application and account, for `GET /api/auth/me`; resources with no action are left out. */
export function summarisePermissions(
  principal: Principal,
  applications: readonly { readonly name: string; readonly permissions: ApplicationPermissions | undefined }[],
  accounts: readonly { readonly name: string; readonly permissions: AccountPermissions | undefined }[],
): PermissionSummary {
  const summary = <A extends string, P>(items: readonly { name: string; permissions: P }[], actions: readonly A[], may: (p: P, a: A) => boolean) =>
    Object.fromEntries(
      items.map((item) => [item.name, actions.filter((action) => may(item.permissions, action))] as const).filter(([, allowed]) => allowed.length > 0),
    );
  return {
    applications: summary(applications, applicationActions, (permissions, action) => mayApplication(principal, permissions, action)),
    accounts: summary(accounts, accountActions, (permissions, action) => mayAccount(principal, permissions, action)),
  };
}

/** The principal a stored user or service account acts as; the administrator role makes it an administrator. */
export function principalFor(
  user: { readonly name: string; readonly kind: Principal['kind']; readonly roles: readonly string[] },
  adminRole: string,
  via: Principal['via'],
): Principal {
  return { name: user.name, kind: user.kind, roles: user.roles, admin: user.roles.includes(adminRole), via };
}

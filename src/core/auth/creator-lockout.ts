import type { ApplicationPermissions, Principal } from './model.js';

/**
 * Whether creating an application with these permissions would leave its creator unable to change it:
 * a non-administrator must grant WRITE to at least one of their own roles (grants go to roles only, and
 * an application without a WRITE grant is closed to all but administrators).
 */
export function locksOutCreator(creator: Principal, permissions: ApplicationPermissions): boolean {
  if (creator.admin) return false;
  const writers = permissions.WRITE ?? [];
  return !creator.roles.some((role) => writers.includes(role));
}

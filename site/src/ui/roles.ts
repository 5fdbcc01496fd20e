// Roles come from the catalog (GET /api/permissions): owner and admin, then
// the roles the deployment names, highest first. These helpers name them
// and work out what an actor may grant, so that every dialog starts from
// something the server accepts.
import type { PermissionCatalog, PermissionSet } from '../types';
import { allPermissionNames, grants } from './catalog';

export type RoleDefinition = PermissionCatalog['roles'][number];

const USERS_MANAGE = 'users.manage';

export function roleDef(catalog: PermissionCatalog | null | undefined, role: string): RoleDefinition | undefined {
  return catalog?.roles.find((r) => r.id === role);
}

/** The role's label from the catalog, or its id for a role the catalog no longer names. */
export function roleLabel(catalog: PermissionCatalog | null | undefined, role: string): string {
  return roleDef(catalog, role)?.label ?? (role === 'owner' ? 'Owner' : role);
}

/** The roles that can be given (all but the owner), as select options. */
export function roleOptions(catalog: PermissionCatalog): [string, string][] {
  return catalog.roles.filter((r) => r.id !== 'owner').map((r) => [r.id, r.label]);
}

/** Whether a member with this role may hold users.manage (and so All). */
export function roleManages(catalog: PermissionCatalog, role: string): boolean {
  return roleDef(catalog, role)?.manageUsers ?? true;
}

/**
 * What an actor whose own permissions are `limit` may give someone with
 * `role`: the permissions they hold, less users.manage where the role may
 * not hold it. null means no limit is known (the server decides).
 */
export function mayGrant(catalog: PermissionCatalog, limit: PermissionSet | null, role: string): (name: string) => boolean {
  const manages = roleManages(catalog, role);
  return (name) => (!limit || grants(limit, name)) && (manages || name !== USERS_MANAGE);
}

/** Whether the actor may give All to someone with `role`. */
export function mayGrantAll(catalog: PermissionCatalog, limit: PermissionSet | null, role: string): boolean {
  return (!limit || limit.all) && roleManages(catalog, role);
}

/** `set` cut down to what `allowed` accepts (All becomes the allowed names when All may not be given). */
export function clampGrant(catalog: PermissionCatalog, set: PermissionSet, allowed: (name: string) => boolean, allOk: boolean): PermissionSet {
  if (set.all && allOk) return { all: true, granted: [] };
  const names = set.all ? allPermissionNames(catalog) : set.granted ?? [];
  return { all: false, granted: names.filter(allowed) };
}

/**
 * Where an invitation starts: for an actor holding All, the Admin role with
 * All; otherwise the lowest role the catalog names, with its default
 * permissions cut down to what the actor may grant.
 */
export function defaultGrant(catalog: PermissionCatalog, limit: PermissionSet | null): { role: string; permissions: PermissionSet } {
  if (!limit || limit.all) return { role: 'admin', permissions: { all: true, granted: [] } };
  const roles = catalog.roles.filter((r) => r.id !== 'owner');
  const lowest = roles[roles.length - 1] ?? { id: 'admin', permissions: { all: false, granted: [] } };
  return { role: lowest.id, permissions: clampGrant(catalog, lowest.permissions, mayGrant(catalog, limit, lowest.id), false) };
}

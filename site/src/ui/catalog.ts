// The permission catalog (GET /api/permissions), loaded once per page load,
// and helpers that name permissions by their catalog labels.
import { api } from '../api';
import type { PermissionCatalog, PermissionSet } from '../types';

let cached: Promise<PermissionCatalog> | null = null;

export function loadCatalog(): Promise<PermissionCatalog> {
  if (!cached) {
    cached = api.get<PermissionCatalog>('/permissions').catch((err: unknown) => {
      cached = null;
      throw err;
    });
  }
  return cached;
}

export function allPermissionNames(catalog: PermissionCatalog): string[] {
  return catalog.areas.flatMap((a) => a.permissions.map((p) => p.name));
}

/** "Billing: View invoices and payment methods", or the raw name if unknown. */
export function permissionLabel(catalog: PermissionCatalog, name: string): string {
  for (const a of catalog.areas) {
    const p = a.permissions.find((x) => x.name === name);
    if (p) return `${a.label}: ${p.label}`;
  }
  return name;
}

export function granted(set: PermissionSet | undefined | null): string[] {
  if (!set) return [];
  return set.all ? [] : [...(set.granted ?? [])];
}

/** Whether `set` grants `name`. */
export function grants(set: PermissionSet | undefined | null, name: string): boolean {
  return !!set && (set.all || (set.granted ?? []).includes(name));
}

/** Whether every permission of `inner` is also in `outer`. */
export function within(inner: PermissionSet, outer: PermissionSet | null | undefined): boolean {
  if (!outer) return false;
  if (outer.all) return true;
  if (inner.all) return false;
  return (inner.granted ?? []).every((n) => (outer.granted ?? []).includes(n));
}

/**
 * A one-line summary: "All permissions", "No permissions", or the areas with
 * what is granted in each ("Billing: view · Services: view, manage").
 */
export function summarizePermissions(set: PermissionSet | undefined | null, catalog: PermissionCatalog): string {
  if (!set) return '—';
  if (set.all) return 'All permissions';
  const names = set.granted ?? [];
  if (!names.length) return 'No permissions';
  const parts: string[] = [];
  for (const a of catalog.areas) {
    const got = a.permissions.filter((p) => names.includes(p.name)).map((p) => p.name.slice(p.name.indexOf('.') + 1));
    if (got.length) parts.push(`${a.label}: ${got.join(', ')}`);
  }
  const known = new Set(allPermissionNames(catalog));
  const unknown = names.filter((n) => !known.has(n));
  return [...parts, ...unknown].join(' · ');
}

/** Permissions added and removed from one set to another, by name. */
export function diffPermissions(
  before: PermissionSet | undefined | null,
  after: PermissionSet | undefined | null,
  catalog: PermissionCatalog,
): { added: string[]; removed: string[] } {
  const all = allPermissionNames(catalog);
  const b = before ? (before.all ? all : before.granted ?? []) : [];
  const a = after ? (after.all ? all : after.granted ?? []) : [];
  // In the catalog's order, then names the catalog does not know.
  const order = [...all, ...[...a, ...b].filter((n) => !all.includes(n))];
  return { added: order.filter((n) => a.includes(n) && !b.includes(n)), removed: order.filter((n) => b.includes(n) && !a.includes(n)) };
}

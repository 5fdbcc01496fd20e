// Shapes of the API's JSON (see shared/domain/permissions.json and DESIGN.md).

/** `{"all": true}` or `{"all": false, "granted": [...]}`. */
export type PermissionSet = { all: true; granted?: string[] } | { all: false; granted: string[] };

export interface Permission {
  /** e.g. "billing.view" */
  name: string;
  label: string;
}

export interface PermissionArea {
  id: string;
  label: string;
  permissions: Permission[];
}

export type Role = 'owner' | 'admin' | 'member';

export interface RolePreset {
  id: string;
  label: string;
  role: Role;
  permissions: PermissionSet;
}

/** GET /api/permissions */
export interface PermissionCatalog {
  areas: PermissionArea[];
  presets: RolePreset[];
}

/** GET /api/health (a 503 JSON error when unhealthy). */
export interface Health {
  status: string;
}

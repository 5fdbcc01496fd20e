// Shapes of the API's JSON, from the OpenAPI document
// (shared/contract/openapi.yaml, generated into api-types.ts).
import type { components } from './api-types';

type Schemas = components['schemas'];

/** `{"all": true, "granted": []}` or `{"all": false, "granted": [...]}`. */
export type PermissionSet = Schemas['PermissionSet'];
export type Permission = Schemas['Permission'];
export type PermissionArea = Schemas['PermissionArea'];

/** owner, admin, or a role the deployment names. */
export type Role = Schemas['Member']['role'];

export type RolePreset = Schemas['Preset'];

/** GET /api/permissions */
export type PermissionCatalog = Schemas['Catalog'];

/** GET /api/health (a 503 JSON error when unhealthy). */
export type Health = Schemas['Notice'];

// Shapes of the member, invitation and history API, from the OpenAPI
// document (shared/contract/openapi.yaml, generated into api-types.ts by
// `npm run build`): the server is the truth.
import type { components } from '../api-types';

type Schemas = components['schemas'];

export type MemberStatus = Schemas['Member']['status'];

/** GET /api/accounts/{accountId}/members[/{userId}] */
export type Member = Schemas['Member'];

/** A page of a list: pass next back as cursor for the following one. */
export interface Page<T> {
  items: T[];
  next?: string | undefined;
}

export type Person = Schemas['Inviter'];

/** GET /api/accounts/{accountId}/invitations */
export type Invitation = Schemas['Invitation'];

/** POST /api/invitations/preview */
export type InvitationPreview = Schemas['InvitationPreview'];

/** POST /api/invitations/accept */
export type Accepted = Schemas['InvitationAccepted'];

export type HistoryActor = Schemas['HistoryActor'];
export type HistoryTarget = Schemas['HistoryTarget'];

/** GET /api/accounts/{accountId}/history */
export type HistoryItem = Schemas['HistoryEvent'];

/** The signed-in user, from GET /api/me. */
export type Me = Schemas['Profile'];

export type Project = Schemas['Project'];
export type Assignment = Schemas['Assignment'];
export type AccountSummary = Schemas['AccountSummary'];

// Shapes of the member, invitation and history API (see shared/members,
// shared/invite and shared/history on the server: the server is the truth).
import type { PermissionSet, Role } from '../types';

export type MemberStatus = 'active' | 'deactivated';

/** GET /api/accounts/{accountId}/members[/{userId}] */
export interface Member {
  userId: string;
  email: string;
  firstName: string;
  lastName: string;
  role: Role;
  permissions: PermissionSet;
  status: MemberStatus;
  joinedAt?: string | undefined;
  lastLoginAt?: string | undefined;
  lastActiveAt?: string | undefined;
  projectCount?: number | undefined;
  version: number;
}

export interface Page<T> {
  items: T[];
  next?: string | undefined;
}

export interface Person {
  id?: string | undefined;
  name: string;
  email: string;
}

/** GET /api/accounts/{accountId}/invitations */
export interface Invitation {
  id: string;
  email: string;
  firstName?: string | undefined;
  lastName?: string | undefined;
  role: Role;
  permissions: PermissionSet;
  state: 'pending' | 'accepted' | 'revoked' | 'expired' | string;
  delivery: 'queued' | 'sent' | 'failed' | 'bounced' | 'complained' | string;
  deliveryReason?: string | undefined;
  inviter?: Person | undefined;
  createdAt?: string | undefined;
  sentAt?: string | undefined;
  lastSentAt?: string | undefined;
  expiresAt: string;
  resendCount?: number | undefined;
  exceedsInviter?: boolean | undefined;
  version?: number | undefined;
}

/** POST /api/invitations/preview */
export interface InvitationPreview {
  accountName: string;
  inviterName: string;
  inviterEmail: string;
  email: string;
  firstName?: string | undefined;
  lastName?: string | undefined;
  role: Role;
  permissions: PermissionSet;
  expiresAt: string;
}

/** POST /api/invitations/accept */
export interface Accepted {
  accountId: string;
  accountName: string;
  role: Role;
}

export interface HistoryActor {
  userId?: string | undefined;
  email?: string | undefined;
  name?: string | undefined;
  system?: boolean | undefined;
}

export interface HistoryTarget {
  kind: string;
  id: string;
  userId?: string | undefined;
  email?: string | undefined;
  name?: string | undefined;
}

/** GET /api/accounts/{accountId}/history */
export interface HistoryItem {
  id: string;
  at: string;
  actor: HistoryActor;
  action: string;
  target: HistoryTarget;
  before?: unknown | undefined;
  after?: unknown | undefined;
  /** Readable lines of what changed, named with the catalog's labels. */
  changes?: string[] | undefined;
}

/** The signed-in user, from GET /api/me. */
export interface Me {
  id: string;
  email: string;
  firstName?: string | undefined;
  lastName?: string | undefined;
  emailVerified?: boolean | undefined;
}

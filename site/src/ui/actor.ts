// Who the signed-in user is, and what they may do in one account: read from
// GET /api/me and their own membership (GET /api/accounts/{id}/members/{me}).
// The server refuses anything not allowed anyway; this only decides which
// actions the pages offer.
import { api, ApiError } from '../api';
import type { PermissionSet } from '../types';
import { grants } from './catalog';
import type { Me, Member } from './model';

/**
 * The signed-in user, or null when nobody is signed in (401). With
 * `quiet`, a 401 does not send the browser to the sign-in page.
 */
export async function loadMe(signal?: AbortSignal, quiet = false): Promise<Me | null> {
  try {
    return await api.get<Me>('/me', signal ? { signal, skipAuthHook: quiet } : { skipAuthHook: quiet });
  } catch (err) {
    if (err instanceof ApiError && err.status === 401) return null;
    throw err;
  }
}

export interface AccountActor {
  me: Me;
  /** The user's membership in the account (null if the API would not say). */
  member: Member | null;
}

export async function loadActor(accountId: string, signal?: AbortSignal): Promise<AccountActor | null> {
  const me = await loadMe(signal);
  if (!me) return null;
  let member: Member | null = null;
  try {
    member = await api.get<Member>(`/accounts/${encodeURIComponent(accountId)}/members/${encodeURIComponent(me.id)}`, signal ? { signal } : {});
  } catch (err) {
    if (err instanceof DOMException && err.name === 'AbortError') throw err;
    member = null;
  }
  return { me, member };
}

/** The permissions the actor really holds in the account. */
export function effective(member: Member | null | undefined): PermissionSet | null {
  if (!member) return null;
  if (member.role === 'owner') return { all: true, granted: [] };
  if (member.status !== 'active') return { all: false, granted: [] };
  return member.permissions;
}

/** Whether the actor holds permission `name` (unknown actor: assume yes, the server decides). */
export function can(actor: AccountActor | null, name: string): boolean {
  if (!actor || !actor.member) return true;
  return grants(effective(actor.member), name);
}

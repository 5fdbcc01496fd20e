// Who the signed-in user is, and what they may do in one account: read from
// GET /api/me and their own membership (GET /api/accounts/{id}/members/{me}).
// The server refuses anything not allowed anyway; this only decides which
// actions the pages offer.
import { api, ApiError } from '../api';
import type { PermissionSet } from '../types';
import { grants } from './catalog';
import { h } from './h';
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

// One page asks for the actor from several places (its navigation, its
// body); they share one pair of requests for a moment.
const recent = new Map<string, { at: number; actor: Promise<AccountActor | null> }>();
const SHARE_MS = 3000;

/** The signed-in user and their membership of the account; requests made within a moment share one answer. */
export function loadActor(accountId: string, signal?: AbortSignal): Promise<AccountActor | null> {
  const hit = recent.get(accountId);
  if (hit && Date.now() - hit.at < SHARE_MS) return hit.actor;
  const actor = fetchActor(accountId, signal);
  recent.set(accountId, { at: Date.now(), actor });
  actor.catch(() => recent.delete(accountId));
  return actor;
}

/** Forgets the actor of an account (after a change to the signed-in user's own membership). */
export function forgetActor(accountId: string): void {
  recent.delete(accountId);
}

async function fetchActor(accountId: string, signal?: AbortSignal): Promise<AccountActor | null> {
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

/** A plain sentence for a page the actor may not see: not an error, nothing to retry. */
export function notAllowed(what: string, permission: string): HTMLElement {
  return h(
    'div',
    { class: 'notice notice--plain', dataset: { notAllowed: permission } },
    h('p', null, `You do not have permission to see ${what} in this account. An admin of the account can give you the “${permission}” permission.`),
  );
}

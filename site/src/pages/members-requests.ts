// The members page's requests, in the first script: the router starts them
// (prefetchMembers) while the page's own code downloads, and the page asks
// for the same URLs, so it reads those answers rather than asking again.
import { prefetch, type RequestOptions } from '../api';
import type { RouteContext } from '../router';
import { loadActor } from '../ui/actor';
import { loadCatalog } from '../ui/catalog';

export type MembersTab = 'active' | 'pending' | 'deactivated' | 'removed';

export const membersTabs: [MembersTab, string][] = [
  ['active', 'Active'],
  ['pending', 'Pending'],
  ['deactivated', 'Deactivated'],
  ['removed', 'Removed'],
];

// Members a page shows: a phone lays out every row as a card, so a page
// stays short enough to render at once.
export const MEMBERS_PAGE_SIZE = 25;

/** The tab a members URL names (?tab=), Active by default. */
export function membersTab(query: URLSearchParams): MembersTab {
  const t = query.get('tab');
  return membersTabs.find(([k]) => k === t)?.[0] ?? 'active';
}

/** The GET that lists a tab's page: the invitations, or the members of a status. */
export function membersPageRequest(accountId: string, tab: MembersTab, q: string, cursor?: string): { path: string; opts: Omit<RequestOptions, 'body'> } {
  const account = `/accounts/${encodeURIComponent(accountId)}`;
  if (tab === 'pending') return { path: `${account}/invitations`, opts: { query: { cursor } } };
  // Former members are listed, not searched.
  return { path: `${account}/members`, opts: { query: { status: tab, q: tab === 'removed' ? undefined : q, cursor, limit: MEMBERS_PAGE_SIZE } } };
}

/** Starts what the members page first needs: its list page, the catalog and the signed-in member. */
export function prefetchMembers(ctx: RouteContext): void {
  const accountId = ctx.params.accountId ?? '';
  const first = membersPageRequest(accountId, membersTab(ctx.query), ctx.query.get('q') ?? '');
  // One request a task: starting a request costs the page's main thread a
  // few milliseconds, more under a profiler.
  prefetch(first.path, { ...first.opts, signal: ctx.signal });
  setTimeout(() => void loadCatalog().catch(() => undefined), 0);
  setTimeout(() => void loadActor(accountId, ctx.signal).catch(() => undefined), 0);
}

// Route /accounts/:accountId/members: the members of an account in tabs
// Active / Pending (the invitations) / Deactivated / Removed (former
// members, whom an admin can invite again), a server-side search, paging
// through the API's opaque cursor, and the Invite panel.
import { api, ApiError } from '../api';
import type { Route, RouteContext } from '../router';
import type { PermissionCatalog, PermissionSet } from '../types';
import { accountNav, accountPath } from '../ui/account-nav';
import { can, effective, loadActor, notAllowed, type AccountActor } from '../ui/actor';
import { loadCatalog, summarizePermissions } from '../ui/catalog';
import { errorPanel, loading } from '../ui/feedback';
import { formatDate, formatDateTime, fullName, isoOrNull, isPast } from '../ui/format';
import { roleDef, roleLabel } from '../ui/roles';
import { dataTable } from '../ui/table';
import { h, replaceChildren } from '../ui/h';
import type { Invitation, Member, Page } from '../ui/model';
import { pager } from '../ui/pager';
import { tabs } from '../ui/tabs';
import { membersPageRequest, membersTab, membersTabs, type MembersTab } from './members-requests';

type Tab = MembersTab;

export const membersRoute: Route = {
  path: '/accounts/:accountId/members',
  title: 'Members',
  render: (ctx) => membersPage(ctx),
};

const SEARCH_DELAY_MS = 300;

function membersPage(ctx: RouteContext): HTMLElement {
  const accountId = ctx.params.accountId ?? '';
  let tab: Tab = membersTab(ctx.query);
  let q = ctx.query.get('q') ?? '';
  let catalog: PermissionCatalog | null = null;
  let actor: AccountActor | null = null;
  let loadSeq = 0;

  const status = h('p', { class: 'sr-only', role: 'status', 'aria-live': 'polite' });
  const notice = h('div', { class: 'notice', role: 'status', 'aria-live': 'polite', hidden: true });
  const panel = h('div', { class: 'tabpanel', role: 'tabpanel', id: 'members-panel', tabindex: '0' });
  const pages = pager({ label: 'Pages', onChange: () => void load() });

  const search = h('input', {
    type: 'search',
    id: 'member-search',
    value: q,
    maxlength: 100,
    autocomplete: 'off',
    placeholder: 'Name or email',
  });
  const searchBox = h('div', { class: 'search' }, h('label', { for: 'member-search' }, 'Search members'), search);
  const inviteBtn = h('button', { type: 'button', class: 'button', dataset: { action: 'invite' }, hidden: true }, 'Invite');

  const tabList = tabs<Tab>({
    label: 'Members by status',
    idPrefix: 'tab',
    items: membersTabs,
    controls: () => 'members-panel',
    onSelect: (key) => selectTab(key, false),
  });

  const page = h(
    'section',
    { class: 'page', dataset: { page: 'members', state: 'loading' }, 'aria-labelledby': 'members-title' },
    h('div', { class: 'page__head' }, h('h1', { id: 'members-title' }, 'Members'), inviteBtn),
    accountNav(accountId, 'members', ctx.signal),
    notice,
    h(
      'div',
      { class: 'toolbar' },
      searchBox,
    ),
    tabList.element,
    panel,
    pages.element,
    status,
  );

  const syncUrl = (): void => {
    const params = new URLSearchParams();
    if (tab !== 'active') params.set('tab', tab);
    if (q) params.set('q', q);
    ctx.router.remember(params);
  };

  function selectTab(key: Tab, focus: boolean): void {
    tab = key;
    // Former members are listed, not searched.
    searchBox.hidden = key === 'removed';
    tabList.select(key, focus);
    panel.setAttribute('aria-labelledby', tabList.idOf(key));
    pages.reset();
    syncUrl();
    void load();
  }

  let timer: number | undefined;
  search.addEventListener('input', () => {
    window.clearTimeout(timer);
    timer = window.setTimeout(() => {
      const value = search.value.trim();
      if (value === q) return;
      q = value;
      pages.reset();
      syncUrl();
      void load();
    }, SEARCH_DELAY_MS);
  });
  ctx.signal.addEventListener('abort', () => window.clearTimeout(timer));

  inviteBtn.addEventListener('click', () => void invite());

  // The dialogs' code loads when one is first opened; null when it cannot.
  async function dialogs(): Promise<typeof import('./members-dialogs') | null> {
    try {
      return await import('./members-dialogs');
    } catch {
      showNotice('This could not be opened. Check your connection and try again.');
      return null;
    }
  }

  async function invite(former?: Member): Promise<void> {
    const d = await dialogs();
    if (!catalog || !d) return;
    d.openInvitePanel({
      accountId,
      catalog,
      limit: effective(actor?.member),
      prefill: former ? { email: former.email, firstName: former.firstName, lastName: former.lastName, role: former.role, permissions: former.permissions } : undefined,
      onDone: (inv) => {
        if (!inv) return;
        showNotice(`Invitation sent to ${inv.email}.`);
        selectTab('pending', true);
      },
    });
  }

  function openProjects(m: Member): void {
    void dialogs().then((d) => d?.openMemberProjects({ accountId, member: m, manage: can(actor, 'projects.manage'), onChange: () => void load() }));
  }

  function showNotice(text: string): void {
    notice.textContent = text;
    notice.hidden = false;
  }

  async function load(): Promise<void> {
    const seq = ++loadSeq;
    page.dataset.state = 'loading';
    page.setAttribute('aria-busy', 'true');
    replaceChildren(panel, loading(tab === 'pending' ? 'Loading invitations…' : 'Loading members…'));
    try {
      // The list is asked for with the catalog and the actor, not after
      // them; the server refuses it to anyone without users.view.
      const cursor = pages.cursor();
      const req = membersPageRequest(accountId, tab, q, cursor);
      const listing = api.get<Page<Invitation> | Page<Member>>(req.path, { ...req.opts, signal: ctx.signal });
      listing.catch(() => undefined); // read below, unless the actor may not view
      if (!catalog) {
        const [cat, who] = await Promise.all([loadCatalog(), loadActor(accountId, ctx.signal)]);
        catalog = cat;
        actor = who;
        inviteBtn.hidden = !can(actor, 'users.manage');
      }
      if (!can(actor, 'users.view')) {
        denied();
        return;
      }
      let next: string | undefined;
      let body: Node;
      let count: number;
      if (tab === 'pending') {
        const res = (await listing) as Page<Invitation>;
        if (seq !== loadSeq) return;
        const needle = q.toLowerCase();
        const items = needle
          ? res.items.filter((i) => `${i.email} ${i.firstName ?? ''} ${i.lastName ?? ''}`.toLowerCase().includes(needle))
          : res.items;
        next = res.next || undefined;
        count = items.length;
        body = invitationsTable(items, catalog!);
        watchDelivery(res.items, cursor, seq, 1000);
      } else {
        const res = (await listing) as Page<Member>;
        if (seq !== loadSeq) return;
        next = res.next || undefined;
        count = res.items.length;
        body = tab === 'removed' ? formerTable(res.items, catalog!) : membersTable(res.items, catalog!);
      }
      replaceChildren(panel, body);
      pages.loaded(next);
      status.textContent = `${count} ${tab === 'pending' ? 'invitation' : tab === 'removed' ? 'former member' : 'member'}${count === 1 ? '' : 's'} shown.`;
      page.dataset.state = 'ready';
      page.dataset.tab = tab;
    } catch (err) {
      if (ctx.signal.aborted || seq !== loadSeq) return;
      if (err instanceof ApiError && err.code === 'missing_permission') {
        denied();
        return;
      }
      const gone = err instanceof ApiError && err.status === 404;
      replaceChildren(
        panel,
        errorPanel(err, {
          title: gone ? 'You are not a member of this account.' : 'The list could not be loaded.',
          onRetry: gone ? undefined : () => void load(),
        }),
      );
      pages.hide();
      page.dataset.state = 'error';
    } finally {
      if (seq === loadSeq) page.removeAttribute('aria-busy');
    }
  }

  function denied(): void {
    for (const el of [tabList.element, page.querySelector('.toolbar'), pages.element]) if (el instanceof HTMLElement) el.hidden = true;
    replaceChildren(panel, notAllowed('the members', 'View members and invitations'));
    panel.removeAttribute('role');
    page.dataset.state = 'denied';
  }

  function membersTable(items: Member[], cat: PermissionCatalog): Node {
    if (!items.length) {
      return h(
        'p',
        { class: 'empty' },
        q ? `No ${tab} member matches “${q}”.` : tab === 'active' ? 'No active members yet.' : 'No deactivated members.',
      );
    }
    return dataTable(
      'members',
      tab === 'active' ? 'Active members' : 'Deactivated members',
      ['Name', 'Email', 'Role', 'Permissions', 'Projects', 'Status', 'Last login', 'Last active'],
      items.map((m) =>
        h(
          'tr',
          { dataset: { userId: m.userId, email: m.email } },
          h(
            'th',
            { scope: 'row' },
            h('a', { href: accountPath(accountId, `/members/${encodeURIComponent(m.userId)}`), class: 'cell-text' }, fullName(m.firstName, m.lastName, m.email)),
          ),
          h('td', { class: 'cell-text' }, m.email),
          h('td', null, roleBadge(cat, m.role)),
          h('td', { class: 'perm-summary' }, permissionsCell(m.permissions, cat)),
          h(
            'td',
            { dataset: { col: 'projects' } },
            h(
              'button',
              {
                type: 'button',
                class: 'link-button',
                'aria-label': `Projects of ${fullName(m.firstName, m.lastName, m.email)}: ${m.projectCount ?? 0}`,
                onClick: () => openProjects(m),
              },
              String(m.projectCount ?? 0),
            ),
          ),
          h('td', null, h('span', { class: ['status', `status--${m.status}`], dataset: { status: m.status } }, m.status === 'active' ? 'Active' : 'Deactivated')),
          h('td', { class: 'nowrap', dataset: { col: 'last-login' } }, whenCell(m.lastLoginAt)),
          h('td', { class: 'nowrap', dataset: { col: 'last-active' } }, whenCell(m.lastActiveAt)),
        ),
      ),
    );
  }

  /** Former members: when and by whom they were removed, their last role and permissions, and Invite again. */
  function formerTable(items: Member[], cat: PermissionCatalog): Node {
    if (!items.length) return h('p', { class: 'empty' }, 'Nobody has been removed from this account.');
    const manage = can(actor, 'users.manage');
    return dataTable(
      'removed',
      'Removed members',
      ['Name', 'Email', 'Last role', 'Last permissions', 'Removed', 'Removed by', manage ? 'Actions' : null],
      items.map((m) => {
        const name = fullName(m.firstName, m.lastName, m.email);
        return h(
          'tr',
          { dataset: { userId: m.userId, email: m.email } },
          h('th', { scope: 'row', class: 'cell-text' }, name),
          h('td', { class: 'cell-text' }, m.email),
          h('td', null, roleBadge(cat, m.role)),
          h('td', { class: 'perm-summary' }, permissionsCell(m.permissions, cat)),
          h('td', { class: 'nowrap' }, dateCell(m.removedAt)),
          h('td', { class: 'cell-text' }, m.removedBy ? m.removedBy.name || m.removedBy.email || '—' : '—'),
          manage
            ? h(
                'td',
                null,
                h(
                  'button',
                  {
                    type: 'button',
                    class: 'button button--secondary button--small',
                    dataset: { action: 'reinvite' },
                    'aria-label': `Invite again: ${name}`,
                    onClick: () => void invite(m),
                  },
                  'Invite again',
                ),
              )
            : null,
        );
      }),
    );
  }

  function invitationsTable(items: Invitation[], cat: PermissionCatalog): Node {
    if (!items.length) return h('p', { class: 'empty' }, q ? `No pending invitation matches “${q}”.` : 'No pending invitations.');
    const manage = can(actor, 'users.manage');
    return dataTable(
      'invitations',
      'Pending invitations',
      ['Email', 'Name', 'Role', 'Permissions', 'Invited by', 'Sent', 'Expires', 'Delivery', manage ? 'Actions' : null],
      items.map((inv) => {
        const expired = inv.state === 'expired' || isPast(inv.expiresAt);
        return h(
          'tr',
          { dataset: { invitationId: inv.id, email: inv.email } },
          h(
            'th',
            { scope: 'row' },
            h('span', { class: 'cell-text' }, inv.email),
            inv.exceedsInviter
              ? h(
                  'span',
                  { class: 'flag', dataset: { flag: 'exceeds-inviter' }, title: 'The inviter no longer holds every permission this invitation grants' },
                  'Exceeds the inviter’s permissions',
                )
              : null,
          ),
          h('td', { class: 'cell-text' }, fullName(inv.firstName, inv.lastName, '—')),
          h('td', null, roleBadge(cat, inv.role)),
          h('td', { class: 'perm-summary' }, permissionsCell(inv.permissions, cat)),
          h('td', { class: 'cell-text' }, inv.inviter ? inv.inviter.name || inv.inviter.email : '—'),
          h('td', { class: 'nowrap' }, dateCell(inv.lastSentAt || inv.sentAt || inv.createdAt)),
          h(
            'td',
            { class: 'nowrap' },
            dateCell(inv.expiresAt),
            expired ? h('span', { class: 'status status--expired' }, 'Expired') : null,
          ),
          h('td', { dataset: { cell: 'delivery' } }, ...deliveryContent(inv)),
          manage ? h('td', null, h('div', { class: 'row-actions' }, invitationActions(inv, cat))) : null,
        );
      }),
    );
  }

  // While an email on the page is queued, the page asks again (after 1 s,
  // then twice as long each time, at most 30 s) and updates the delivery
  // cells in place, until none is queued or the list is left.
  let deliveryTimer: number | undefined;
  ctx.signal.addEventListener('abort', () => window.clearTimeout(deliveryTimer));
  function watchDelivery(items: Invitation[], cursor: string | undefined, seq: number, delay: number): void {
    window.clearTimeout(deliveryTimer);
    if (!items.some((i) => i.delivery === 'queued')) return;
    deliveryTimer = window.setTimeout(async () => {
      if (ctx.signal.aborted || seq !== loadSeq || tab !== 'pending') return;
      try {
        const req = membersPageRequest(accountId, 'pending', q, cursor);
        const res = await api.get<Page<Invitation>>(req.path, { ...req.opts, signal: ctx.signal });
        if (seq !== loadSeq || tab !== 'pending') return;
        for (const inv of res.items) {
          const cell = panel.querySelector(`tr[data-invitation-id="${CSS.escape(inv.id)}"] td[data-cell="delivery"]`);
          if (cell) replaceChildren(cell, ...deliveryContent(inv));
        }
        watchDelivery(res.items, cursor, seq, Math.min(delay * 2, 30_000));
      } catch {
        // The next load of the list shows it.
      }
    }, delay);
  }

  function invitationActions(inv: Invitation, cat: PermissionCatalog): HTMLElement[] {
    const label = inv.email;
    const resend = h(
      'button',
      { type: 'button', class: 'button button--secondary button--small', dataset: { action: 'resend' }, 'aria-label': `Resend the invitation to ${label}` },
      'Resend',
    );
    resend.addEventListener('click', async () => {
      resend.disabled = true;
      try {
        const d = await dialogs();
        if (!d) {
          resend.disabled = false;
          return;
        }
        await d.resendInvitation(accountId, inv.id);
        showNotice(`The invitation to ${label} was sent again; the earlier link no longer works.`);
        await load();
        panel.querySelector<HTMLElement>(`tr[data-invitation-id="${CSS.escape(inv.id)}"] [data-action="resend"]`)?.focus();
      } catch (err) {
        resend.disabled = false;
        showNotice(err instanceof Error ? err.message : String(err));
      }
    });
    const edit = h(
      'button',
      { type: 'button', class: 'button button--secondary button--small', dataset: { action: 'edit' }, 'aria-label': `Edit the invitation to ${label}` },
      'Edit',
    );
    edit.addEventListener('click', async () =>
      (await dialogs())?.openInvitationEditor({
        accountId,
        invitation: inv,
        catalog: cat,
        limit: effective(actor?.member),
        onDone: (saved) => {
          if (!saved) return;
          showNotice(`The invitation to ${label} was updated.`);
          void load();
        },
      }),
    );
    const revoke = h(
      'button',
      { type: 'button', class: 'button button--danger button--small', dataset: { action: 'revoke' }, 'aria-label': `Revoke the invitation to ${label}` },
      'Revoke',
    );
    revoke.addEventListener('click', async () => {
      const d = await dialogs();
      const ok = await d?.confirmDialog({
        title: 'Revoke this invitation?',
        body: [
          h('p', null, 'The link sent to ', h('strong', null, label), ' stops working at once. They will not join this account.'),
          h('p', null, 'You can invite them again later.'),
        ],
        confirmLabel: 'Revoke invitation',
        danger: true,
        action: () => api.delete(`/accounts/${encodeURIComponent(accountId)}/invitations/${encodeURIComponent(inv.id)}`),
      });
      if (ok) {
        showNotice(`The invitation to ${label} was revoked.`);
        await load();
        tabList.select('pending', true);
      }
    });
    return [resend, edit, revoke];
  }

  selectTab(tab, false);
  return page;
}

/** A time with its full date, or Never. */
function whenCell(iso: string | undefined): Node {
  return iso ? h('time', { datetime: isoOrNull(iso), title: formatDateTime(iso) }, formatDateTime(iso)) : document.createTextNode('Never');
}

function roleBadge(cat: PermissionCatalog, role: string): HTMLElement {
  return h('span', { class: ['badge', `badge--${role}`], title: roleDef(cat, role)?.description ?? null }, roleLabel(cat, role));
}

/** A short summary ("All permissions", "3 permissions in 2 areas") that opens to the full list. */
function permissionsCell(set: PermissionSet, cat: PermissionCatalog): Node {
  if (set.all) return document.createTextNode('All permissions');
  const n = set.granted?.length ?? 0;
  if (!n) return document.createTextNode('No permissions');
  const areas = cat.areas.filter((a) => a.permissions.some((p) => set.granted.includes(p.name))).length;
  return h(
    'details',
    { class: 'perm-details' },
    h('summary', null, `${n} permission${n === 1 ? '' : 's'}`, areas ? ` in ${areas} area${areas === 1 ? '' : 's'}` : ''),
    h('p', null, summarizePermissions(set, cat)),
  );
}

/** A short date with the full time in its tooltip. */
function dateCell(iso: string | undefined): HTMLElement {
  return h('time', { datetime: isoOrNull(iso), title: formatDateTime(iso) }, formatDate(iso));
}

function deliveryContent(inv: Invitation): Node[] {
  const out: Node[] = [h('span', { class: ['delivery', `delivery--${inv.delivery}`], dataset: { delivery: inv.delivery } }, deliveryLabel(inv.delivery))];
  if (inv.deliveryReason) out.push(h('span', { class: 'hint' }, ` ${inv.deliveryReason}`));
  return out;
}

function deliveryLabel(d: string): string {
  switch (d) {
    case 'queued':
      return 'Queued';
    case 'sent':
      return 'Sent';
    case 'failed':
      return 'Failed';
    case 'bounced':
      return 'Bounced';
    case 'complained':
      return 'Marked as spam';
    default:
      return d;
  }
}

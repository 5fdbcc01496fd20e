// Route /accounts/:accountId/history, and the history view the member page
// reuses: time, actor, action, target and a readable before/after (the
// server's `changes` lines, named with the catalog's labels), a period
// selector, an action filter, paging through the opaque cursor, and export
// as CSV or JSON lines.
import { api, ApiError, getFile } from '../api';
import type { Route } from '../router';
import type { PermissionCatalog, PermissionSet } from '../types';
import { accountNav, accountPath } from '../ui/account-nav';
import { can, loadActor, notAllowed } from '../ui/actor';
import { diffPermissions, loadCatalog, permissionLabel } from '../ui/catalog';
import { errorPanel, loading } from '../ui/feedback';
import { formatDateTime, isoOrNull } from '../ui/format';
import { roleLabel } from '../ui/roles';
import { h, replaceChildren } from '../ui/h';
import { stackable } from '../ui/table';
import { pager } from '../ui/pager';
import type { HistoryItem, Page } from '../ui/model';

export const historyRoute: Route = {
  path: '/accounts/:accountId/history',
  title: 'History',
  render: (ctx) => {
    const page = h(
      'section',
      { class: 'page', dataset: { page: 'history' }, 'aria-labelledby': 'history-title' },
      h('h1', { id: 'history-title' }, 'History'),
      accountNav(ctx.params.accountId ?? '', 'history', ctx.signal),
      h('p', { class: 'lead' }, 'Every change to the members, invitations and permissions of this account, newest first.'),
    );
    page.append(historyView({ accountId: ctx.params.accountId ?? '', signal: ctx.signal, query: ctx.query, remember: (q) => ctx.router.remember(q, { push: true }) }));
    return page;
  },
};

export const periods: [string, string][] = [
  ['1w', 'Last week'],
  ['2w', 'Last 2 weeks'],
  ['1m', 'Last month'],
  ['3m', 'Last 3 months'],
  ['6m', 'Last 6 months'],
  ['12m', 'Last 12 months'],
  ['all', 'All time'],
];

export const actionLabels: Record<string, string> = {
  'account.created': 'Account created',
  'account.renamed': 'Account renamed',
  'account.ownership_transferred': 'Ownership handed over',
  'member.signed_in': 'Signed in',
  'member.permissions_changed': 'Permissions changed',
  'member.role_changed': 'Role changed',
  'member.profile_changed': 'Profile changed',
  'member.deactivated': 'Deactivated',
  'member.reactivated': 'Reactivated',
  'member.removed': 'Removed',
  'invitation.created': 'Invited',
  'invitation.edited': 'Invitation edited',
  'invitation.resent': 'Invitation resent',
  'invitation.revoked': 'Invitation revoked',
  'invitation.accepted': 'Invitation accepted',
  'invitation.expired': 'Invitation expired',
  'member.transferred_out': 'Transferred to another account',
  'member.transferred_in': 'Transferred from another account',
  'project.created': 'Project created',
  'project.renamed': 'Project renamed',
  'project.owner_changed': 'Project owner changed',
  'project.deleted': 'Project deleted',
  'project.member_added': 'Assigned to a project',
  'project.member_removed': 'Removed from a project',
};

const filterGroups: [string, [string, string][]][] = [
  ['Kinds', [['', 'All actions'], ['member', 'Any member change'], ['invitation', 'Any invitation change'], ['account', 'Any account change'], ['project', 'Any project change']]],
  ['Actions', Object.entries(actionLabels)],
];

export interface HistoryViewOptions {
  accountId: string;
  /** Only this member's history. */
  member?: string;
  signal: AbortSignal;
  query?: URLSearchParams;
  /** Records the filters in the address, so reload and Back keep them. */
  remember?: (q: URLSearchParams) => void;
}

let counter = 0;

export function historyView(opts: HistoryViewOptions): HTMLElement {
  const id = `history-${++counter}`;
  let period = opts.query?.get('period') ?? 'all';
  if (!periods.some(([p]) => p === period)) period = 'all';
  let action = opts.query?.get('action') ?? '';
  let catalog: PermissionCatalog | null = null;
  let seq = 0;

  const periodSelect = h(
    'select',
    { id: `${id}-period`, dataset: { filter: 'period' } },
    periods.map(([v, l]) => h('option', { value: v, selected: v === period }, l)),
  );
  const actionSelect = h(
    'select',
    { id: `${id}-action`, dataset: { filter: 'action' } },
    filterGroups.map(([label, opts2]) => h('optgroup', { label }, opts2.map(([v, l]) => h('option', { value: v, selected: v === action }, l)))),
  );
  periodSelect.value = period;
  actionSelect.value = action;

  const csv = h('button', { type: 'button', class: 'button button--secondary button--small', dataset: { export: 'csv' } }, 'Export CSV');
  const jsonl = h('button', { type: 'button', class: 'button button--secondary button--small', dataset: { export: 'jsonl' } }, 'Export JSON lines');
  const exportBar = h('progress', { class: 'history__progress', max: 1, 'aria-label': 'Export progress', hidden: true });
  const exportStatus = h('span', { class: 'history__export-status', role: 'status' });
  const results = h('div', { class: 'history__results', 'aria-live': 'polite' });
  const status = h('p', { class: 'sr-only', role: 'status' });
  const pages = pager({ label: 'History pages', previousLabel: 'Newer', nextLabel: 'Older', onChange: () => void load() });

  const toolbarEnd = h('div', { class: 'toolbar__end', hidden: true }, csv, jsonl, exportBar, exportStatus);
  const toolbar = h(
    'div',
    { class: 'toolbar' },
    h('div', { class: 'field field--inline' }, h('label', { for: periodSelect.id }, 'Period'), periodSelect),
    h('div', { class: 'field field--inline' }, h('label', { for: actionSelect.id }, 'Action'), actionSelect),
    toolbarEnd,
  );
  const view = h(
    'div',
    { class: 'history', dataset: { history: opts.member ? 'member' : 'account', state: 'loading' } },
    toolbar,
    results,
    pages.element,
    status,
  );

  const basePath = `/accounts/${encodeURIComponent(opts.accountId)}/history`;
  const filters = (): Record<string, string | undefined> => ({ member: opts.member, period, action: action || undefined });

  // An export of any size comes from the server in parts (each one request,
  // bounded in time and memory); they are joined here into one file, with
  // a progress bar measured by the time of each part's oldest event.
  let exporting = false;
  const exportFile = async (format: 'csv' | 'jsonl'): Promise<void> => {
    if (exporting) return;
    exporting = true;
    csv.disabled = jsonl.disabled = true;
    exportBar.hidden = false;
    exportBar.removeAttribute('value');
    exportStatus.textContent = 'Exporting…';
    const started = Date.now();
    const from = periodStart(period, started);
    const parts: BlobPart[] = [];
    let events = 0;
    try {
      let cursor = '';
      for (;;) {
        const part = await getFile(`${basePath}/export`, { query: { format, ...filters(), cursor }, signal: opts.signal });
        parts.push(part.text);
        events += Number(part.headers.get('Roster-Events') ?? 0);
        const through = Date.parse(part.headers.get('Roster-Through') ?? '');
        if (from !== null && !Number.isNaN(through)) exportBar.value = Math.min(1, (started - through) / (started - from));
        exportStatus.textContent = `Exported ${counted(events)}…`;
        cursor = part.headers.get('Roster-Next') ?? '';
        if (!cursor) break;
      }
      exportBar.value = 1;
      const blob = new Blob(parts, { type: format === 'csv' ? 'text/csv' : 'application/x-ndjson' });
      const link = h('a', { href: URL.createObjectURL(blob), download: `history-${opts.member ? 'member-' : ''}${period}.${format}` });
      link.click();
      setTimeout(() => URL.revokeObjectURL(link.href), 60_000);
      exportStatus.textContent = `Exported ${counted(events)}.`;
    } catch (err) {
      exportStatus.textContent = err instanceof ApiError ? err.message : 'The export failed. Try again.';
    } finally {
      exporting = false;
      csv.disabled = jsonl.disabled = false;
      exportBar.hidden = true;
    }
  };
  csv.addEventListener('click', () => void exportFile('csv'));
  jsonl.addEventListener('click', () => void exportFile('jsonl'));
  const restart = (): void => {
    if (opts.remember) {
      const q = new URLSearchParams(location.search);
      if (period === 'all') q.delete('period');
      else q.set('period', period);
      if (action) q.set('action', action);
      else q.delete('action');
      opts.remember(q);
    }
    pages.reset();
    void load();
  };
  periodSelect.addEventListener('change', () => {
    period = periodSelect.value;
    restart();
  });
  actionSelect.addEventListener('change', () => {
    action = actionSelect.value;
    restart();
  });
  async function load(): Promise<void> {
    const mine = ++seq;
    view.dataset.state = 'loading';
    replaceChildren(results, loading('Loading history…'));
    try {
      const [cat, actor] = await Promise.all([catalog ?? loadCatalog(), loadActor(opts.accountId, opts.signal)]);
      catalog = cat;
      if (!can(actor, 'history.view')) {
        denied();
        return;
      }
      toolbarEnd.hidden = !can(actor, 'history.manage');
      const res = await api.get<Page<HistoryItem>>(basePath, { query: { ...filters(), cursor: pages.cursor() }, signal: opts.signal });
      if (mine !== seq) return;
      replaceChildren(results, table(res.items, catalog));
      pages.loaded(res.next);
      status.textContent = `${res.items.length} event${res.items.length === 1 ? '' : 's'} shown.`;
      view.dataset.state = 'ready';
    } catch (err) {
      if (opts.signal.aborted || mine !== seq) return;
      if (err instanceof ApiError && err.code === 'missing_permission') {
        denied();
        return;
      }
      replaceChildren(results, errorPanel(err, { title: 'The history could not be loaded.', onRetry: () => void load() }));
      pages.hide();
      view.dataset.state = 'error';
    }
  }

  function denied(): void {
    toolbar.hidden = true;
    replaceChildren(results, notAllowed('the history of changes', 'View the history of changes'));
    pages.hide();
    view.dataset.state = 'denied';
  }

  function table(items: HistoryItem[], cat: PermissionCatalog): Node {
    if (!items.length) return h('p', { class: 'empty' }, 'Nothing happened in this period.');
    return stackable(h(
      'div',
      { class: 'table-wrap' },
      h(
        'table',
        { class: 'data-table history__table', dataset: { table: 'history' } },
        h('caption', { class: 'sr-only' }, 'History of changes, newest first'),
        h('thead', null, h('tr', null, ['Time', 'Who', 'Action', 'Concerning', 'What changed'].map((c) => h('th', { scope: 'col' }, c)))),
        h(
          'tbody',
          null,
          items.map((ev) => {
            // Readable lines built here from before/after with the catalog's labels;
            // the server's own lines for anything this page does not know,
            // leaving out any that would show raw JSON.
            const own = describe(ev, cat);
            const lines = own.length ? own : (ev.changes ?? []).filter((l) => !/[[{]/.test(l));
            return h(
              'tr',
              { dataset: { eventId: ev.id, action: ev.action } },
              h('td', { class: 'nowrap' }, h('time', { datetime: isoOrNull(ev.at) }, formatDateTime(ev.at))),
              h('td', null, actorCell(ev)),
              h('td', null, actionLabels[ev.action] ?? ev.action),
              h('td', null, targetCell(ev)),
              h('td', { class: 'changes' }, lines.length ? h('ul', { class: 'changes__list' }, lines.map((l) => h('li', null, l))) : '—'),
            );
          }),
        ),
      ),
    ));
  }

  function actorCell(ev: HistoryItem): Node {
    if (ev.actor.system) return h('span', { class: 'muted' }, 'Roster (automatic)');
    const name = ev.actor.name || ev.actor.email || ev.actor.userId || 'Unknown';
    return h('span', null, name, ev.actor.email && ev.actor.email !== name ? h('span', { class: 'muted block' }, ev.actor.email) : null);
  }

  function targetCell(ev: HistoryItem): Node {
    const t = ev.target;
    const name = t.name || t.email || t.id;
    const label = t.userId && !opts.member ? h('a', { href: accountPath(opts.accountId, `/members/${encodeURIComponent(t.userId)}`) }, name) : name;
    return h('span', null, label, t.email && t.email !== name ? h('span', { class: 'muted block' }, t.email) : null);
  }

  void load();
  return view;
}

/** Readable lines for an event the server did not describe. */
function describe(ev: HistoryItem, cat: PermissionCatalog): string[] {
  const b = (ev.before ?? null) as Record<string, unknown> | null;
  const a = (ev.after ?? null) as Record<string, unknown> | null;
  if (!b && !a) return [];
  const out: string[] = [];
  const get = (o: Record<string, unknown> | null, k: string) => (o && typeof o === 'object' ? o[k] : undefined);
  const role = [get(b, 'role'), get(a, 'role')];
  if (role[0] !== role[1]) {
    out.push(role[0] && role[1] ? `Role: ${roleLabel(cat, String(role[0]))} → ${roleLabel(cat, String(role[1]))}` : `Role: ${roleLabel(cat, String(role[1] ?? role[0]))}`);
  }
  const pb = get(b, 'permissions') as PermissionSet | undefined;
  const pa = get(a, 'permissions') as PermissionSet | undefined;
  if (!pb && pa) {
    const names = diffPermissions(undefined, pa, cat).added;
    out.push(pa.all ? 'Permissions: All' : `Permissions: ${names.length ? names.map((n) => permissionLabel(cat, n)).join('; ') : 'none'}`);
  } else if (pb || pa) {
    if (pa?.all && !pb?.all) out.push('All permissions granted');
    else if (pb?.all && pa && !pa.all) out.push('All permissions removed');
    const { added, removed } = diffPermissions(pb, pa, cat);
    if (!pa?.all && added.length) out.push(`Permissions added: ${added.map((n) => permissionLabel(cat, n)).join('; ')}`);
    if (!pb?.all && removed.length && pa) out.push(`Permissions removed: ${removed.map((n) => permissionLabel(cat, n)).join('; ')}`);
  }
  for (const k of ['status', 'state', 'firstName', 'lastName', 'name', 'email']) {
    const x = get(b, k);
    const y = get(a, k);
    if (x === y || (x === undefined && y === undefined)) continue;
    const label = k === 'firstName' ? 'First name' : k === 'lastName' ? 'Last name' : k[0]!.toUpperCase() + k.slice(1);
    out.push(x !== undefined && y !== undefined ? `${label}: ${String(x)} → ${String(y)}` : `${label}: ${String(y ?? x)}`);
  }
  // Projects and transfers.
  const text = (o: Record<string, unknown> | null, k: string) => (typeof get(o, k) === 'string' ? (get(o, k) as string) : '');
  const list = (o: Record<string, unknown> | null, k: string) => (Array.isArray(get(o, k)) ? (get(o, k) as unknown[]).map(String) : []);
  const project = text(a, 'projectName') || text(b, 'projectName');
  if (project) out.push(`Project: ${project}`);
  const owners = [text(b, 'ownerName'), text(a, 'ownerName')];
  if (owners[0] && owners[1] && owners[0] !== owners[1]) out.push(`Owner: ${owners[0]} → ${owners[1]}`);
  else if (ev.action === 'project.created' && owners[1]) out.push(`Owner: ${owners[1]}`);
  if (text(a, 'toAccountName')) out.push(`From ${text(a, 'fromAccountName')} to ${text(a, 'toAccountName')}`);
  for (const [k, label] of [
    ['movedProjects', 'Projects moved with the member'],
    ['endedAssignments', 'Assignments ended'],
    ['leftProjects', 'Projects left'],
    ['members', 'Assignments ended'],
  ] as const) {
    const items = [...list(b, k), ...list(a, k)];
    if (items.length) out.push(`${label}: ${items.join('; ')}`);
  }
  return out;
}

function counted(events: number): string {
  return `${events.toLocaleString()} ${events === 1 ? 'event' : 'events'}`;
}

/** The start of a period of the history selector, or null for all. */
export function periodStart(period: string, now: number): number | null {
  const d = new Date(now);
  switch (period) {
    case '1w':
      return now - 7 * 86_400_000;
    case '2w':
      return now - 14 * 86_400_000;
    case '1m':
    case '3m':
    case '6m':
    case '12m':
      d.setUTCMonth(d.getUTCMonth() - Number(period.slice(0, -1)));
      return d.getTime();
    default:
      return null;
  }
}

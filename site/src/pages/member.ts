// Route /accounts/:accountId/members/:userId: one member's profile, role,
// permissions and status, saved with the member's version (a stale version
// shows who-changed-what and offers a reload), deactivate / reactivate /
// remove with confirmations, ownership hand-over for the owner, and the
// member's History tab. Actions the signed-in user may not take are not
// offered; the server refuses them anyway.
import { api, ApiError } from '../api';
import type { Route, RouteContext } from '../router';
import type { PermissionCatalog, PermissionSet } from '../types';
import { accountPath } from '../ui/account-nav';
import { can, effective, loadActor, type AccountActor } from '../ui/actor';
import { loadCatalog, summarizePermissions, within } from '../ui/catalog';
import { confirmDialog, openDialog } from '../ui/dialog';
import { errorPanel, loading } from '../ui/feedback';
import { clearErrors, field, select, showError, textInput, type Field } from '../ui/form';
import { formatDateTime, fullName, isoOrNull } from '../ui/format';
import { roleLabel } from '../ui/roles';
import { h, replaceChildren, type Child } from '../ui/h';
import { tabs } from '../ui/tabs';
import type { AccountSummary, Member } from '../ui/model';
import { roleAndPermissions } from '../ui/permissions-editor';
import { historyView } from './history';
import { openMemberProjects, openTransfer } from './member-projects';

export const memberRoute: Route = {
  path: '/accounts/:accountId/members/:userId',
  title: 'Member',
  render: (ctx) => memberPage(ctx),
};


async function accountName(accountId: string, signal: AbortSignal): Promise<string | null> {
  try {
    const res = await api.get<{ items: AccountSummary[] }>('/accounts', { signal });
    return res.items.find((a) => a.id === accountId)?.name ?? null;
  } catch {
    return null;
  }
}

function samePerms(a: PermissionSet, b: PermissionSet): boolean {
  if (a.all || b.all) return !!a.all === !!b.all;
  const x = [...(a.granted ?? [])].sort();
  const y = [...(b.granted ?? [])].sort();
  return x.length === y.length && x.every((n, i) => n === y[i]);
}

function memberPage(ctx: RouteContext): HTMLElement {
  const accountId = ctx.params.accountId ?? '';
  const userId = ctx.params.userId ?? '';
  const memberPath = `/accounts/${encodeURIComponent(accountId)}/members/${encodeURIComponent(userId)}`;

  const title = h('h1', { id: 'member-title' }, 'Member');
  const body = h('div', { class: 'page__body' });
  const page = h(
    'section',
    { class: 'page', dataset: { page: 'member', state: 'loading' }, 'aria-labelledby': 'member-title' },
    h('p', { class: 'breadcrumb' }, h('a', { href: accountPath(accountId, '/members') }, '← Members')),
    title,
    body,
  );

  let catalog: PermissionCatalog;
  let actor: AccountActor | null;
  let account: string | null;
  let member: Member;

  const load = async (focusTitle = false): Promise<void> => {
    page.dataset.state = 'loading';
    replaceChildren(body, loading('Loading member…'));
    try {
      [catalog, actor, member, account] = await Promise.all([
        loadCatalog(),
        loadActor(accountId, ctx.signal),
        api.get<Member>(memberPath, { signal: ctx.signal }),
        accountName(accountId, ctx.signal),
      ]);
    } catch (err) {
      if (ctx.signal.aborted) return;
      const missing = err instanceof ApiError && err.status === 404;
      replaceChildren(
        body,
        errorPanel(err, { title: missing ? 'This member is not in this account.' : 'The member could not be loaded.', onRetry: () => void load() }),
      );
      page.dataset.state = 'error';
      return;
    }
    render();
    if (focusTitle) title.focus();
  };
  title.tabIndex = -1;

  function render(notice?: string): void {
    const name = fullName(member.firstName, member.lastName, member.email);
    title.textContent = name;
    document.title = `${name} · Members · Roster`;

    const tabsDef: [string, string][] = [
      ['details', 'Profile and permissions'],
      ['history', 'History'],
    ];
    const panels = new Map<string, HTMLElement>();
    const details = detailsPanel(notice);
    const historyPanel = h('div', { class: 'tabpanel', role: 'tabpanel', id: 'member-panel-history', 'aria-labelledby': 'member-tab-history', tabindex: '0', hidden: true });
    const detailsWrap = h('div', { class: 'tabpanel', role: 'tabpanel', id: 'member-panel-details', 'aria-labelledby': 'member-tab-details' }, details);
    panels.set('details', detailsWrap);
    panels.set('history', historyPanel);
    let historyLoaded = false;
    const show = (key: string): void => {
      for (const [k, p] of panels) p.hidden = k !== key;
      if (key === 'history' && !historyLoaded) {
        historyLoaded = true;
        historyPanel.append(historyView({ accountId, member: userId, signal: ctx.signal, query: ctx.query, remember: (q) => ctx.router.remember(q) }));
      }
    };
    // The tab lives in the address (?tab=history), so reload and back keep it.
    const select = (key: string): void => {
      show(key);
      const q = new URLSearchParams(location.search);
      if (key === 'details') q.delete('tab');
      else q.set('tab', key);
      ctx.router.remember(q, { push: true });
    };
    const tabList = tabs({ label: 'Member', idPrefix: 'member-tab', items: tabsDef, controls: (key) => `member-panel-${key}`, onSelect: select });
    const tablist = tabList.element;
    replaceChildren(body, tablist, detailsWrap, historyPanel);
    const initial = ctx.query.get('tab') === 'history' ? 'history' : 'details';
    tabList.select(initial);
    show(initial);
    page.dataset.state = 'ready';
    page.dataset.status = member.status;
  }

  function detailsPanel(notice?: string): HTMLElement {
    const mine = effective(actor?.member);
    const isSelf = actor?.me.id === member.userId;
    const actorIsOwner = actor?.member?.role === 'owner';
    const manage = can(actor, 'users.manage');
    const targetIsOwner = member.role === 'owner';
    const inReach = !actor?.member || within(member.permissions, mine);
    const editProfile = (manage && !targetIsOwner && inReach) || (targetIsOwner && isSelf);
    const editGrant = manage && !targetIsOwner && !isSelf && inReach;
    const editRole = editGrant && member.status === 'active';
    const changeStatus = manage && !targetIsOwner && !isSelf && inReach;

    let reason: string | undefined;
    if (targetIsOwner) reason = 'The owner always has every permission.';
    else if (isSelf) reason = 'You cannot change your own permissions or role.';
    else if (!manage) reason = 'You need the “Invite, edit, deactivate and remove members” permission to change members.';
    else if (!inReach) reason = 'This member has permissions you do not have, so you cannot change them.';

    const first = field('First name', textInput({ value: member.firstName, maxlength: 100, disabled: !editProfile }), { name: 'firstName' });
    const last = field('Last name', textInput({ value: member.lastName, maxlength: 100, disabled: !editProfile }), { name: 'lastName' });
    const email = field('Email address', textInput({ type: 'email', value: member.email, readonly: true }), {
      name: 'email',
      hint: 'Members manage their own email address.',
    });
    const grant = roleAndPermissions({
      catalog,
      role: member.role,
      value: member.permissions,
      presets: editRole,
      // What the actor lacks is only worth naming when it can edit.
      limit: editGrant && actor?.member ? mine : null,
      roleLocked: editRole ? undefined : member.status === 'active' ? reason : 'The role of a deactivated member cannot be changed.',
      disabled: !editGrant,
      disabledReason: editGrant ? undefined : reason,
    });
    const roleField: Field | null = member.role === 'owner' ? null : grant.role;
    const editor = grant.editor;
    const fields: Record<string, Field> = { firstName: first, lastName: last, email };
    if (roleField) fields.role = roleField;
    const alert = h('div', { class: 'alert alert--error', role: 'alert', hidden: true, tabindex: '-1' });
    const noticeEl = h('div', { class: 'notice', role: 'status', 'aria-live': 'polite', hidden: !notice }, notice ?? '');
    const save = h('button', { type: 'submit', class: 'button', dataset: { action: 'save' } }, 'Save changes');

    const form = h(
      'form',
      {
        class: 'form member-form',
        novalidate: true,
        dataset: { form: 'member' },
        onSubmit: async (e: SubmitEvent) => {
          e.preventDefault();
          clearErrors(fields, alert);
          noticeEl.hidden = true;
          const patch: Record<string, unknown> = { version: member.version };
          if (editProfile && first.control.value.trim() !== member.firstName) patch.firstName = first.control.value.trim();
          if (editProfile && last.control.value.trim() !== member.lastName) patch.lastName = last.control.value.trim();
          if (roleField && editRole && roleField.control.value !== member.role) patch.role = roleField.control.value;
          const perms = editor.value();
          if (editGrant && !samePerms(perms, member.permissions)) patch.permissions = perms;
          if (Object.keys(patch).length === 1) {
            noticeEl.textContent = 'Nothing to save: no field was changed.';
            noticeEl.hidden = false;
            return;
          }
          save.disabled = true;
          save.setAttribute('aria-busy', 'true');
          try {
            member = await api.patch<Member>(memberPath, patch);
            render('Saved.');
            body.querySelector<HTMLElement>('[data-action="save"]')?.focus();
          } catch (err) {
            if (err instanceof ApiError && err.code === 'stale_version') {
              stale(err, alert);
            } else {
              showError(err, fields, alert);
            }
          } finally {
            save.disabled = false;
            save.removeAttribute('aria-busy');
          }
        },
      },
      noticeEl,
      alert,
      h(
        'dl',
        { class: 'facts' },
        h('dt', null, 'Status'),
        h('dd', null, h('span', { class: ['status', `status--${member.status}`], dataset: { status: member.status } }, member.status === 'active' ? 'Active' : 'Deactivated')),
        h('dt', null, 'Role'),
        h('dd', null, h('span', { class: ['badge', `badge--${member.role}`] }, roleLabel(catalog, member.role))),
        h('dt', null, 'Last login'),
        h('dd', { dataset: { fact: 'last-login' } }, member.lastLoginAt ? h('time', { datetime: isoOrNull(member.lastLoginAt) }, formatDateTime(member.lastLoginAt)) : 'Never'),
        h('dt', null, 'Last active'),
        h('dd', { dataset: { fact: 'last-active' } }, member.lastActiveAt ? h('time', { datetime: isoOrNull(member.lastActiveAt) }, formatDateTime(member.lastActiveAt)) : 'Never'),
        member.joinedAt ? [h('dt', null, 'Joined'), h('dd', null, formatDateTime(member.joinedAt))] : null,
      ),
      h('div', { class: 'field-row' }, first.element, last.element),
      email.element,
      roleField?.element,
      editor.element,
      editProfile || editGrant ? h('div', { class: 'form__actions' }, save) : null,
    );

    const actions: HTMLElement[] = [];
    if (changeStatus) actions.push(member.status === 'active' ? deactivateButton() : reactivateButton(), removeButton());
    if (changeStatus && member.status === 'active') {
      actions.push(
        h(
          'button',
          {
            type: 'button',
            class: 'button button--secondary',
            dataset: { action: 'transfer' },
            onClick: () =>
              openTransfer({ accountId, member, catalog, me: actor?.me.id ?? '', onDone: (to) => ctx.router.navigate(accountPath(to, `/members/${encodeURIComponent(member.userId)}`)) }),
          },
          'Transfer to another account',
        ),
      );
    }
    if (actorIsOwner && !isSelf && member.role === 'admin' && member.status === 'active') actions.push(ownershipButton());
    const actionsSection = actions.length
      ? h('section', { class: 'block danger-zone', 'aria-labelledby': 'member-actions-title' }, h('h2', { id: 'member-actions-title' }, 'Access'), h('div', { class: 'button-row' }, actions))
      : null;

    const projectsSection = h(
      'section',
      { class: 'block', 'aria-labelledby': 'member-projects-title' },
      h('h2', { id: 'member-projects-title' }, 'Projects'),
      h('p', null, `${member.projectCount ?? 0} project${member.projectCount === 1 ? '' : 's'}. `,
        h('button', { type: 'button', class: 'button button--secondary button--small', dataset: { action: 'projects' }, onClick: () => openMemberProjects({ accountId, member, manage: can(actor, 'projects.manage'), onChange: () => void load(true) }) }, 'Show projects')),
    );
    return h('div', null, form, projectsSection, actionsSection);
  }

  function stale(err: ApiError, alert: HTMLElement): void {
    const cur = (err.current ?? null) as Member | null;
    const reload = h('button', { type: 'button', class: 'button', dataset: { action: 'reload' } }, 'Reload the current version');
    reload.addEventListener('click', () => {
      if (cur) {
        member = cur;
        render('Showing the current version. Make your change again if it is still needed.');
        body.querySelector<HTMLElement>('#member-panel-details input:not([disabled]), #member-panel-details select')?.focus();
      } else {
        void load(true);
      }
    });
    replaceChildren(
      alert,
      h('p', { class: 'alert__title' }, 'Someone else changed this member while you were editing.'),
      h('p', null, 'Your changes were not saved. This is the member now:'),
      cur
        ? h(
            'dl',
            { class: 'facts', dataset: { current: '' } },
            h('dt', null, 'Name'),
            h('dd', null, fullName(cur.firstName, cur.lastName, cur.email)),
            h('dt', null, 'Role'),
            h('dd', null, roleLabel(catalog, cur.role)),
            h('dt', null, 'Status'),
            h('dd', null, cur.status === 'active' ? 'Active' : 'Deactivated'),
            h('dt', null, 'Permissions'),
            h('dd', null, summarizePermissions(cur.permissions, catalog)),
          )
        : null,
      reload,
    );
    alert.hidden = false;
    alert.dataset.conflict = 'stale_version';
    alert.focus();
  }

  const who = (): string => fullName(member.firstName, member.lastName, member.email);
  const where = (): string => account ?? 'this account';

  function statusAction(kind: 'deactivate' | 'reactivate', projectsTo?: string): Promise<void> {
    return api.post<Member>(`${memberPath}/${kind}`, { version: member.version, ...(projectsTo ? { projectsTo } : {}) }).then((m) => {
      member = m;
    });
  }

  /**
   * The projects the member owns and, when there are any, a choice of who
   * owns them next (an active member): the server refuses to deactivate or
   * remove an owner of projects without one (owns_projects).
   */
  async function ownedProjects(): Promise<{ element: Child; projectsTo: () => string | undefined }> {
    const mine = await api.get<{ items: { id: string; name: string; owner: boolean }[] }>(`${memberPath}/projects`, { signal: ctx.signal }).catch(() => ({ items: [] }));
    const owned = mine.items.filter((p) => p.owner);
    if (!owned.length) return { element: null, projectsTo: () => undefined };
    const others = await api
      .get<{ items: Member[] }>(`/accounts/${encodeURIComponent(accountId)}/members`, { query: { status: 'active', limit: '100' }, signal: ctx.signal })
      .catch(() => ({ items: [] as Member[] }));
    const choices = others.items.filter((m) => m.userId !== userId).map((m) => [m.userId, fullName(m.firstName, m.lastName, m.email)] as [string, string]);
    const next = field('New owner of these projects', select(choices, choices[0]?.[0] ?? ''), { name: 'projectsTo' });
    const element = h(
      'div',
      { class: 'owned-projects', dataset: { ownedProjects: String(owned.length) } },
      h('p', null, `${who()} owns ${owned.length === 1 ? 'a project' : `${owned.length} projects`}: `, h('strong', null, owned.map((p) => p.name).join(', ')), '. Choose who owns ', owned.length === 1 ? 'it' : 'them', ' next.'),
      next.element,
    );
    return { element, projectsTo: () => (next.control as HTMLSelectElement).value || undefined };
  }

  function deactivateButton(): HTMLElement {
    const b = h('button', { type: 'button', class: 'button button--secondary', dataset: { action: 'deactivate' } }, 'Deactivate');
    b.addEventListener('click', async () => {
      const owned = await ownedProjects();
      const ok = await confirmDialog({
        title: `Deactivate ${who()}?`,
        body: [
          h('p', null, h('strong', null, who()), ` loses access to ${where()} on their very next request.`),
          h('p', null, 'They stay listed under Deactivated and keep their role, permissions and project assignments, so you can reactivate them later with everything restored. Their own login and their other accounts are not affected.'),
          owned.element,
        ],
        confirmLabel: 'Deactivate',
        danger: true,
        action: () => statusAction('deactivate', owned.projectsTo()),
      });
      if (ok) {
        render(`${who()} is deactivated.`);
        body.querySelector<HTMLElement>('[data-action="reactivate"]')?.focus();
      }
    });
    return b;
  }

  function reactivateButton(): HTMLElement {
    const b = h('button', { type: 'button', class: 'button', dataset: { action: 'reactivate' } }, 'Reactivate');
    b.addEventListener('click', async () => {
      const ok = await confirmDialog({
        title: `Reactivate ${who()}?`,
        body: h('p', null, h('strong', null, who()), ` gets access to ${where()} again, with the role and permissions shown on this page.`),
        confirmLabel: 'Reactivate',
        action: () => statusAction('reactivate'),
      });
      if (ok) {
        render(`${who()} is active again.`);
        body.querySelector<HTMLElement>('[data-action="deactivate"]')?.focus();
      }
    });
    return b;
  }

  function removeButton(): HTMLElement {
    const b = h('button', { type: 'button', class: 'button button--danger', dataset: { action: 'remove' } }, 'Remove from account');
    b.addEventListener('click', async () => {
      const name = who();
      const owned = await ownedProjects();
      const ok = await confirmDialog({
        title: `Remove ${name} from ${where()}?`,
        body: [
          h('p', null, h('strong', null, name), ` (${member.email}) loses all access to `, h('strong', null, where()), ' at once, and their project assignments end.'),
          h('p', null, 'Their Roster login and their other accounts stay as they are, and the history keeps everything they did. To give them access again, invite them again.'),
          owned.element,
        ],
        confirmLabel: 'Remove',
        danger: true,
        action: () => api.delete(memberPath, { query: { version: member.version, ...(owned.projectsTo() ? { projectsTo: owned.projectsTo() } : {}) } }),
      });
      if (ok) ctx.router.navigate(accountPath(accountId, '/members'));
    });
    return b;
  }

  function ownershipButton(): HTMLElement {
    const b = h('button', { type: 'button', class: 'button button--secondary', dataset: { action: 'transfer-ownership' } }, 'Make owner');
    b.addEventListener('click', () => {
      openDialog({
        title: `Hand ownership of ${where()} to ${who()}?`,
        content: (close) => {
          const password = field('Your password', textInput({ type: 'password', autocomplete: 'current-password', required: true }), { name: 'password' });
          const alert = h('div', { class: 'alert alert--error', role: 'alert', hidden: true });
          const submit = h('button', { type: 'submit', class: 'button button--danger' }, 'Hand over ownership');
          return h(
            'form',
            {
              class: 'form',
              onSubmit: async (e: SubmitEvent) => {
                e.preventDefault();
                submit.disabled = true;
                try {
                  await api.post(`/accounts/${encodeURIComponent(accountId)}/ownership`, {
                    userId: member.userId,
                    password: password.control.value,
                    version: member.version,
                  });
                  close();
                  void load(true);
                } catch (err) {
                  showError(err, { password }, alert);
                  submit.disabled = false;
                }
              },
            },
            h('p', null, `${who()} becomes the owner, with every permission. You become an admin and keep your current access until the new owner changes it.`),
            alert,
            password.element,
            h('div', { class: 'dialog__actions' }, h('button', { type: 'button', class: 'button button--secondary', onClick: close }, 'Cancel'), submit),
          );
        },
      });
    });
    return b;
  }

  void load();
  return page;
}

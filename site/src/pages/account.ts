// Route /accounts/:accountId: the account's home, where a signed-in member
// lands. It says who they are there (role, with what it means, and their
// permissions), offers the account's sections they may see, and lets a
// member who manages members rename the account. Route "/" sends a
// signed-in user here for their current account.
import { api, ApiError } from '../api';
import type { Route, RouteContext } from '../router';
import { currentAccountId, loadAccounts, loadUser, renameAccount, setCurrentAccount } from '../session';
import type { PermissionCatalog } from '../types';
import { accountNav, accountPath } from '../ui/account-nav';
import { can, effective, loadActor, type AccountActor } from '../ui/actor';
import { loadCatalog, summarizePermissions } from '../ui/catalog';
import { errorPanel, loading } from '../ui/feedback';
import { clearErrors, field, showError, textInput } from '../ui/form';
import { formatDateTime } from '../ui/format';
import { h, replaceChildren } from '../ui/h';
import { roleDef, roleLabel } from '../ui/roles';
import { requireUser } from './auth/guard';

interface Account {
  id: string;
  name: string;
  ownerId: string;
  createdAt: string;
  version: number;
}

export const homeRoute: Route = {
  path: '/',
  title: 'Roster',
  render: (ctx) => {
    const el = h('section', { class: 'page', dataset: { page: 'home' } }, loading('Opening your account…'));
    void (async () => {
      const user = await loadUser().catch(() => null);
      if (ctx.signal.aborted) return;
      if (!user) {
        ctx.router.navigate('/sign-in', { replace: true });
        return;
      }
      const accounts = user.emailVerified ? await loadAccounts(ctx.signal).catch(() => []) : [];
      if (ctx.signal.aborted) return;
      const usable = accounts.filter((a) => a.status !== 'deactivated');
      const id = usable.find((a) => a.id === currentAccountId())?.id ?? usable[0]?.id;
      if (id) setCurrentAccount(id);
      ctx.router.navigate(id ? accountPath(id) : '/accounts', { replace: true });
    })();
    return el;
  },
};

export const accountRoute: Route = {
  path: '/accounts/:accountId',
  title: 'Account',
  render: (ctx) => accountPage(ctx),
};

function accountPage(ctx: RouteContext): HTMLElement {
  const accountId = ctx.params.accountId ?? '';
  const title = h('h1', { id: 'account-title' }, 'Account');
  const body = h('div', { class: 'page__body' }, loading('Loading the account…'));
  const page = h(
    'section',
    { class: 'page', dataset: { page: 'account', state: 'loading' }, 'aria-labelledby': 'account-title' },
    title,
    accountNav(accountId, 'overview', ctx.signal),
    body,
  );

  const load = async (): Promise<void> => {
    if (!(await requireUser(ctx))) return;
    try {
      const [account, actor, catalog] = await Promise.all([
        api.get<Account>(accountPath(accountId), { signal: ctx.signal }),
        loadActor(accountId, ctx.signal),
        loadCatalog(),
      ]);
      render(account, actor, catalog);
    } catch (err) {
      if (ctx.signal.aborted) return;
      const gone = err instanceof ApiError && (err.status === 404 || err.status === 403);
      replaceChildren(body, errorPanel(err, { title: gone ? 'You cannot open this account.' : 'The account could not be loaded.', onRetry: gone ? undefined : () => void load() }));
      page.dataset.state = 'error';
    }
  };

  function render(account: Account, actor: AccountActor | null, catalog: PermissionCatalog, notice?: string): void {
    title.textContent = account.name;
    document.title = `${account.name} · Roster`;
    setCurrentAccount(account.id);
    const member = actor?.member ?? null;
    const role = member?.role ?? '';
    const sections: [string, string, string, string][] = [
      ['users.view', '/members', 'Members', 'Who belongs to this account, their permissions, invitations and former members.'],
      ['projects.view', '/projects', 'Projects', 'The account’s projects and who works on each.'],
      ['history.view', '/history', 'History', 'Every change made in this account.'],
    ];
    const open = sections.filter(([perm]) => can(actor, perm));
    replaceChildren(
      body,
      notice ? h('div', { class: 'notice', role: 'status' }, notice) : null,
      h(
        'section',
        { class: 'block', 'aria-labelledby': 'you-title' },
        h('h2', { id: 'you-title' }, 'You in this account'),
        h(
          'dl',
          { class: 'facts' },
          h('dt', null, 'Role'),
          h('dd', { dataset: { fact: 'role' } }, h('span', { class: ['badge', `badge--${role}`] }, roleLabel(catalog, role)), ' ', h('span', { class: 'hint' }, roleDef(catalog, role)?.description ?? '')),
          h('dt', null, 'Permissions'),
          h('dd', { dataset: { fact: 'permissions' } }, summarizePermissions(effective(member), catalog)),
          h('dt', null, 'Account created'),
          h('dd', null, formatDateTime(account.createdAt)),
        ),
      ),
      h(
        'section',
        { class: 'block', 'aria-labelledby': 'sections-title' },
        h('h2', { id: 'sections-title' }, 'What you can open'),
        open.length
          ? h('ul', { class: 'section-links' }, open.map(([, rest, label, what]) => h('li', null, h('a', { href: accountPath(accountId, rest) }, label), ' – ', what)))
          : h('p', { dataset: { notAllowed: 'sections' } }, 'Your permissions in this account do not include seeing its members, projects or history. The services your permissions cover are in the product itself; an admin of the account can change what you may do.'),
      ),
      can(actor, 'users.manage') ? renameForm(account, actor, catalog) : null,
    );
    page.dataset.state = 'ready';
  }

  function renameForm(account: Account, actor: AccountActor | null, catalog: PermissionCatalog): HTMLElement {
    const name = field('Account name', textInput({ value: account.name, maxlength: 100, required: true, autocomplete: 'organization' }), { name: 'name' });
    const alert = h('div', { class: 'alert alert--error', role: 'alert', hidden: true });
    const save = h('button', { type: 'submit', class: 'button', dataset: { action: 'rename' } }, 'Rename');
    return h(
      'section',
      { class: 'block', 'aria-labelledby': 'rename-title' },
      h('h2', { id: 'rename-title' }, 'Name'),
      h(
        'form',
        {
          class: 'form form--inline',
          novalidate: true,
          dataset: { form: 'rename-account' },
          onSubmit: async (e: SubmitEvent) => {
            e.preventDefault();
            clearErrors({ name }, alert);
            const next = name.control.value.trim();
            if (next === account.name) return;
            save.disabled = true;
            try {
              const saved = await api.patch<Account>(accountPath(accountId), { name: next, version: account.version });
              renameAccount(saved.id, saved.name);
              render(saved, actor, catalog, `The account is now called ${saved.name}.`);
            } catch (err) {
              if (err instanceof ApiError && err.code === 'stale_version' && err.current) {
                account = err.current as Account;
                name.control.value = account.name;
                title.textContent = account.name;
              }
              showError(err, { name }, alert);
            } finally {
              save.disabled = false;
            }
          },
        },
        alert,
        name.element,
        h('div', { class: 'form__actions' }, save),
      ),
    );
  }

  void load();
  return page;
}

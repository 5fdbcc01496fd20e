// Routes /accounts (the accounts the user belongs to, with their role; pick
// the current one) and /accounts/new (create an account; its creator is
// its owner).
import { api } from '../api';
import type { Route, RouteContext } from '../router';
import { currentAccountId, loadAccounts, setCurrentAccount, type AccountSummary } from '../session';
import { errorPanel, loading } from '../ui/feedback';
import { h, replaceChildren, srOnly } from '../ui/h';
import { stackable } from '../ui/table';
import type { PermissionCatalog } from '../types';
import { loadCatalog } from '../ui/catalog';
import { roleLabel } from '../ui/roles';
import { inputField, form, notice, page } from '../ui/form';
import { requireUser } from './auth/guard';
import { resendButton } from './auth/verify';

export const accountsRoute: Route = {
  path: '/accounts',
  title: 'Your accounts',
  nav: 'Accounts',
  render: (ctx) => {
    const body = h('div', { class: 'page__body' }, loading('Loading your accounts…'));
    const section = page('accounts', 'Your accounts', 'The accounts you belong to, and your role in each. The current account is the one the other pages show.', body);
    section.classList.remove('page--narrow');
    section.dataset.state = 'loading';

    const load = async (): Promise<void> => {
      const user = await requireUser(ctx);
      if (!user) return;
      if (!user.emailVerified) {
        replaceChildren(
          body,
          notice('info', 'Confirm your email address first', h('p', null, 'We sent a link to ', h('strong', null, user.email), '. Follow it, then come back here.'), resendButton()),
        );
        section.dataset.state = 'unverified';
        return;
      }
      section.dataset.state = 'loading';
      replaceChildren(body, loading('Loading your accounts…'));
      try {
        const [items, catalog] = await Promise.all([loadAccounts(ctx.signal), loadCatalog().catch(() => null)]);
        replaceChildren(body, renderList(ctx, items, catalog), h('p', null, h('a', { href: '/accounts/new', class: 'button' }, 'Create an account')));
        section.dataset.state = 'ready';
      } catch (err) {
        if (ctx.signal.aborted) return;
        replaceChildren(body, errorPanel(err, { title: 'Your accounts could not be loaded.', onRetry: () => void load() }));
        section.dataset.state = 'error';
      }
    };
    void load();
    return section;
  },
};

const homePath = (id: string): string => `/accounts/${encodeURIComponent(id)}`;

function renderList(ctx: RouteContext, items: AccountSummary[], catalog: PermissionCatalog | null): Node {
  if (!items.length) {
    return notice('info', 'You do not belong to any account yet', h('p', null, 'Create one, or follow the link in an invitation someone sent you.'));
  }
  const current = currentAccountId();
  return stackable(h(
    'div',
    { class: 'table-wrap' },
    h(
      'table',
      { class: 'table accounts-table' },
      h('caption', { class: 'sr-only' }, 'Your accounts'),
      h('thead', null, h('tr', null, h('th', { scope: 'col' }, 'Account'), h('th', { scope: 'col' }, 'Your role'), h('th', { scope: 'col' }, 'Status'), h('th', { scope: 'col' }, srOnly('Actions')))),
      h(
        'tbody',
        null,
        items.map((a) => {
          const isCurrent = a.id === current;
          const use = h('button', { type: 'button', class: 'button button--secondary', disabled: isCurrent || a.status === 'deactivated' }, isCurrent ? 'Current' : 'Use this account');
          use.setAttribute('aria-label', isCurrent ? `${a.name} is the current account` : `Use ${a.name}`);
          use.addEventListener('click', () => {
            setCurrentAccount(a.id);
            ctx.router.reload();
          });
          return h(
            'tr',
            { dataset: { account: a.id }, 'aria-current': isCurrent ? 'true' : null },
            h('th', { scope: 'row', class: 'cell-text' }, a.status === 'deactivated' ? a.name : h('a', { href: homePath(a.id) }, a.name)),
            h('td', null, h('span', { class: ['badge', `badge--${a.role}`] }, roleLabel(catalog, a.role))),
            h('td', null, a.status ?? 'active'),
            h('td', { class: 'table__actions' }, use),
          );
        }),
      ),
    ),
  ));
}

export const accountNewRoute: Route = {
  path: '/accounts/new',
  title: 'Create an account',
  render: (ctx) => {
    const body = h('div', { class: 'page__body' });
    const name = inputField({ name: 'name', label: 'Account name', autocomplete: 'organization', required: true, maxlength: 100, hint: 'Your company, team or project. You can invite people to it next.' });
    const f = form({
      name: 'account-create',
      fields: [name],
      submitLabel: 'Create account',
      busyLabel: 'Creating…',
      onSubmit: async (v) => {
        const created = await api.post<AccountSummary>('/accounts', { name: (v.name ?? '').trim() }, { signal: ctx.signal });
        await loadAccounts().catch(() => undefined);
        setCurrentAccount(created.id);
        replaceChildren(
          body,
          notice(
            'ok',
            'Account created',
            h('p', null, h('strong', null, created.name), ' is ready, with you as its owner. It is now the current account.'),
            h('p', null, h('a', { href: '/accounts', class: 'button' }, 'Your accounts')),
          ),
        );
      },
    });
    const section = page('account-new', 'Create an account', 'You become its owner: you always have full access and can invite admins and members.', body);
    replaceChildren(body, loading('Checking your sign-in…'));
    void requireUser(ctx).then((user) => {
      if (!user) return;
      replaceChildren(body, f.el);
      name.control.focus();
    });
    return section;
  },
};

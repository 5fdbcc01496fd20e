// The header's session part: the account switcher (the user's accounts with
// their role; the choice is remembered) and the user menu (settings, sign out),
// or sign-in links for visitors.
import { api } from '../../api';
import type { Router } from '../../router';
import { clearSession, loadUser, onSessionChange, setCurrentAccount, type SessionState } from '../../session';
import { h, replaceChildren } from '../../ui/h';

export function startSessionHeader(router: Router, switcherEl: HTMLElement | null, menuEl: HTMLElement | null): void {
  const render = (s: SessionState): void => {
    if (switcherEl) renderSwitcher(router, switcherEl, s);
    if (menuEl) renderMenu(router, menuEl, s);
  };
  onSessionChange(render);
  render({ user: undefined, accounts: [], accountId: null });
  void loadUser().catch((err: unknown) => console.warn('session', err));
}

function renderSwitcher(router: Router, el: HTMLElement, s: SessionState): void {
  if (!s.user) {
    replaceChildren(el);
    el.hidden = true;
    return;
  }
  el.hidden = false;
  if (!s.accounts.length) {
    replaceChildren(el, h('a', { href: '/accounts/new', class: 'account-switcher__new' }, 'Create an account'));
    return;
  }
  const select = h(
    'select',
    { id: 'account-select', class: 'account-switcher__select', name: 'account' },
    s.accounts.map((a) =>
      h(
        'option',
        { value: a.id, selected: a.id === s.accountId, dataset: { role: a.role } },
        `${a.name} (${a.role}${a.status === 'deactivated' ? ', deactivated' : ''})`,
      ),
    ),
  );
  select.value = s.accountId ?? '';
  select.addEventListener('change', () => {
    const id = select.value || null;
    setCurrentAccount(id);
    // On an account's own pages, go to the same section of the new account;
    // elsewhere, pages that show the current account render again.
    const m = /^\/accounts\/(?!new(?:\/|$))[^/]+(\/members|\/history|\/projects)?(?:\/|$)/.exec(location.pathname);
    if (m && id) router.navigate(`/accounts/${encodeURIComponent(id)}${m[1] ?? ''}`);
    else router.reload();
  });
  const homePath = s.accountId ? `/accounts/${encodeURIComponent(s.accountId)}` : null;
  replaceChildren(
    el,
    h('label', { for: 'account-select', class: 'account-switcher__label' }, 'Account'),
    select,
    homePath ? h('a', { href: homePath, class: 'account-switcher__members' }, 'Open') : null,
  );
}

function renderMenu(router: Router, el: HTMLElement, s: SessionState): void {
  if (s.user === undefined) {
    replaceChildren(el);
    return;
  }
  if (s.user === null) {
    replaceChildren(
      el,
      h('a', { href: '/sign-in', class: 'user-menu__link' }, 'Sign in'),
      h('a', { href: '/register', class: 'user-menu__link' }, 'Create login'),
    );
    return;
  }
  const user = s.user;
  const signOut = h('button', { type: 'button', class: 'button button--secondary button--small', id: 'sign-out' }, 'Sign out');
  signOut.addEventListener('click', () => {
    signOut.disabled = true;
    api
      .post('/auth/logout', undefined, { skipAuthHook: true })
      .catch((err: unknown) => console.warn('sign out', err))
      .finally(() => {
        clearSession();
        router.navigate('/sign-in', { replace: false });
      });
  });
  const name = `${user.firstName} ${user.lastName}`.trim() || user.email;
  replaceChildren(
    el,
    h(
      'a',
      { href: '/settings', class: 'user-menu__name', title: user.email },
      name,
      user.emailVerified ? null : h('span', { class: 'badge badge--warn' }, 'unconfirmed'),
    ),
    signOut,
  );
}

// The sub-navigation of an account's admin pages: Members, Projects and History.
import { h } from './h';

export function accountPath(accountId: string, rest = ''): string {
  return `/accounts/${encodeURIComponent(accountId)}${rest}`;
}

export function accountNav(accountId: string, current: 'members' | 'projects' | 'history'): HTMLElement {
  const link = (key: 'members' | 'projects' | 'history', label: string) =>
    h('li', null, h('a', { href: accountPath(accountId, `/${key}`), 'aria-current': key === current ? 'page' : null }, label));
  return h('nav', { class: 'subnav', 'aria-label': 'Account' }, h('ul', null, link('members', 'Members'), link('projects', 'Projects'), link('history', 'History')));
}

// The sub-navigation of an account's pages: Overview, Members, Projects and
// History, each offered only to a member who holds its view permission
// (the server refuses the others anyway).
import { can, loadActor } from './actor';
import { h } from './h';

export function accountPath(accountId: string, rest = ''): string {
  return `/accounts/${encodeURIComponent(accountId)}${rest}`;
}

type Section = 'overview' | 'members' | 'projects' | 'history';

const sections: [Section, string, string, string | null][] = [
  ['overview', '', 'Overview', null],
  ['members', '/members', 'Members', 'users.view'],
  ['projects', '/projects', 'Projects', 'projects.view'],
  ['history', '/history', 'History', 'history.view'],
];

export function accountNav(accountId: string, current: Section, signal?: AbortSignal): HTMLElement {
  const items = sections.map(([key, rest, label, permission]) => {
    const li = h('li', { dataset: { section: key } }, h('a', { href: accountPath(accountId, rest), 'aria-current': key === current ? 'page' : null }, label));
    return { li, permission };
  });
  void loadActor(accountId, signal)
    .then((actor) => {
      for (const { li, permission } of items) if (permission && !can(actor, permission)) li.hidden = true;
    })
    .catch(() => undefined);
  return h('nav', { class: 'subnav', 'aria-label': 'Account' }, h('ul', null, items.map((i) => i.li)));
}

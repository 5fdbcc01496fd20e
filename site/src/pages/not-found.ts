import type { Route } from '../router';
import { h } from '../ui/h';

export const notFoundRoute: Route = {
  path: '*',
  title: 'Page not found',
  render: () =>
    h(
      'section',
      { class: 'page', dataset: { page: 'not-found' } },
      h('h1', null, 'Page not found'),
      h('p', null, 'There is no page at this address.'),
      h('p', null, h('a', { href: '/' }, 'Go to the start page')),
    ),
};

// Route /permissions: the permission catalog (areas and their permissions) and the
// role presets, from GET /api/permissions.
import { api } from '../api';
import type { Route, RouteContext } from '../router';
import type { PermissionArea, PermissionCatalog, RolePreset } from '../types';
import { errorPanel, loading } from '../ui/feedback';
import { h, replaceChildren, srOnly } from '../ui/h';

export const catalogRoute: Route = {
  path: '/permissions',
  title: 'Permissions',
  nav: 'Permissions',
  render: (ctx) => catalogPage(ctx),
};

function catalogPage(ctx: RouteContext): HTMLElement {
  const body = h('div', { class: 'page__body' });
  const page = h(
    'section',
    { class: 'page', dataset: { page: 'catalog', state: 'loading' }, 'aria-labelledby': 'catalog-title' },
    h('h1', { id: 'catalog-title' }, 'Permissions'),
    h(
      'p',
      { class: 'lead' },
      'What members of an account can be allowed to do. Owners always have every permission; ' +
        'role presets only pre-fill the checkboxes when you invite or edit someone.',
    ),
    body,
  );

  const load = async (): Promise<void> => {
    page.dataset.state = 'loading';
    page.setAttribute('aria-busy', 'true');
    replaceChildren(body, loading('Loading permissions…'));
    try {
      const catalog = await api.get<PermissionCatalog>('/permissions', { signal: ctx.signal });
      replaceChildren(body, renderCatalog(catalog));
      page.dataset.state = 'ready';
    } catch (err) {
      if (ctx.signal.aborted) return;
      replaceChildren(body, errorPanel(err, { title: 'The permissions could not be loaded.', onRetry: () => void load() }));
      page.dataset.state = 'error';
    } finally {
      page.removeAttribute('aria-busy');
    }
  };
  void load();
  return page;
}

function renderCatalog(catalog: PermissionCatalog): DocumentFragment {
  const frag = document.createDocumentFragment();
  frag.append(
    h(
      'section',
      { class: 'block', 'aria-labelledby': 'areas-title' },
      h('h2', { id: 'areas-title' }, 'Areas'),
      h('ul', { class: 'areas', role: 'list' }, catalog.areas.map(renderArea)),
    ),
    h(
      'section',
      { class: 'block', 'aria-labelledby': 'presets-title' },
      h('h2', { id: 'presets-title' }, 'Role presets'),
      h('ul', { class: 'presets', role: 'list' }, catalog.presets.map((p) => renderPresetCard(p, catalog))),
      renderMatrix(catalog),
    ),
  );
  return frag;
}

function renderArea(area: PermissionArea): HTMLElement {
  const titleId = `area-${area.id}`;
  return h(
    'li',
    { class: 'card area', dataset: { area: area.id } },
    h('h3', { class: 'card__title', id: titleId }, area.label),
    h(
      'ul',
      { class: 'perm-list', role: 'list', 'aria-labelledby': titleId },
      area.permissions.map((p) =>
        h(
          'li',
          { class: 'perm', dataset: { permission: p.name } },
          h('span', { class: 'perm__label' }, p.label),
          h('code', { class: 'perm__name' }, p.name),
        ),
      ),
    ),
  );
}

function grants(preset: RolePreset, name: string): boolean {
  return preset.permissions.all || (preset.permissions.granted ?? []).includes(name);
}

function renderPresetCard(preset: RolePreset, catalog: PermissionCatalog): HTMLElement {
  const total = catalog.areas.reduce((n, a) => n + a.permissions.length, 0);
  let summary: string;
  if (preset.permissions.all) {
    summary = 'All permissions, including any added to the catalog later.';
  } else {
    const n = preset.permissions.granted.length;
    summary = `${n} of ${total} permissions.`;
  }
  // Areas the preset can view / manage, for a readable one-line summary.
  const areaSummary = catalog.areas
    .map((a) => {
      const granted = a.permissions.filter((p) => grants(preset, p.name));
      if (!granted.length) return null;
      return h(
        'li',
        null,
        h('span', { class: 'preset__area' }, a.label),
        ': ',
        granted.map((p) => p.name.slice(p.name.indexOf('.') + 1)).join(', '),
      );
    })
    .filter((x): x is HTMLLIElement => x !== null);

  return h(
    'li',
    { class: 'card preset', dataset: { preset: preset.id } },
    h(
      'h3',
      { class: 'card__title' },
      h('span', { class: 'preset__label' }, preset.label),
      ' ',
      h('span', { class: ['badge', `badge--${preset.role}`] }, srOnly('role '), preset.role),
    ),
    h('p', { class: 'preset__summary' }, summary),
    preset.permissions.all ? null : h('ul', { class: 'preset__areas' }, areaSummary),
  );
}

/** A permission × preset table: what each preset grants, at a glance. */
function renderMatrix(catalog: PermissionCatalog): HTMLElement {
  const presets = catalog.presets;
  return h(
    'div',
    { class: 'table-wrap' },
    h(
      'table',
      { class: 'matrix' },
      h('caption', null, 'Permissions granted by each preset'),
      h(
        'thead',
        null,
        h(
          'tr',
          null,
          h('th', { scope: 'col' }, 'Permission'),
          presets.map((p) => h('th', { scope: 'col', class: 'matrix__preset', dataset: { preset: p.id } }, p.label)),
        ),
      ),
      catalog.areas.map((area) =>
        h(
          'tbody',
          { dataset: { area: area.id } },
          h('tr', { class: 'matrix__area' }, h('th', { scope: 'colgroup', colspan: presets.length + 1 }, area.label)),
          area.permissions.map((perm) =>
            h(
              'tr',
              { dataset: { permission: perm.name } },
              h('th', { scope: 'row' }, perm.label, ' ', h('code', { class: 'perm__name' }, perm.name)),
              presets.map((preset) => {
                const yes = grants(preset, perm.name);
                return h(
                  'td',
                  { class: ['matrix__cell', yes && 'matrix__cell--yes'], dataset: { preset: preset.id, granted: String(yes) } },
                  h('span', { 'aria-hidden': 'true' }, yes ? '✓' : '–'),
                  srOnly(yes ? 'granted' : 'not granted'),
                );
              }),
            ),
          ),
        ),
      ),
    ),
  );
}

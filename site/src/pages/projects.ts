// Route /accounts/:accountId/projects: the account's projects in name
// order with a search by name, paged; creating one (name and owner, an
// active member), renaming, changing the owner and deleting (the
// confirmation names the assignments that end). Reading needs
// projects.view, changing projects.manage; the server decides both.
import { api, ApiError } from '../api';
import type { Route, RouteContext } from '../router';
import { accountNav } from '../ui/account-nav';
import { can, loadActor, type AccountActor } from '../ui/actor';
import { confirmDialog, openDialog } from '../ui/dialog';
import { errorPanel, loading } from '../ui/feedback';
import { clearErrors, field, select, showError, textInput } from '../ui/form';
import { fullName } from '../ui/format';
import { h, replaceChildren } from '../ui/h';
import { stackable } from '../ui/table';
import type { Member, Page, Project } from '../ui/model';
import { pager } from '../ui/pager';

export type { Project } from '../ui/model';

export const projectsRoute: Route = {
  path: '/accounts/:accountId/projects',
  title: 'Projects',
  render: (ctx) => projectsPage(ctx),
};

const SEARCH_DELAY_MS = 300;

function projectsPage(ctx: RouteContext): HTMLElement {
  const accountId = ctx.params.accountId ?? '';
  const base = `/accounts/${encodeURIComponent(accountId)}/projects`;
  let q = ctx.query.get('q') ?? '';
  let actor: AccountActor | null = null;
  let seq = 0;

  const notice = h('div', { class: 'notice', role: 'status', 'aria-live': 'polite', hidden: true });
  const panel = h('div', { class: 'projects__list' });
  const status = h('p', { class: 'sr-only', role: 'status', 'aria-live': 'polite' });
  const pages = pager({ label: 'Pages', onChange: () => void load() });
  const search = h('input', { type: 'search', id: 'project-search', value: q, maxlength: 100, autocomplete: 'off', placeholder: 'Project name' });
  const createBtn = h('button', { type: 'button', class: 'button', dataset: { action: 'create-project' }, hidden: true }, 'New project');

  const page = h(
    'section',
    { class: 'page', dataset: { page: 'projects', state: 'loading' }, 'aria-labelledby': 'projects-title' },
    h('div', { class: 'page__head' }, h('h1', { id: 'projects-title' }, 'Projects'), createBtn),
    accountNav(accountId, 'projects', ctx.signal),
    notice,
    h('div', { class: 'toolbar' }, h('div', { class: 'search' }, h('label', { for: 'project-search' }, 'Search projects'), search)),
    panel,
    pages.element,
    status,
  );

  const say = (text: string): void => {
    notice.textContent = text;
    notice.hidden = false;
  };

  let timer: number | undefined;
  search.addEventListener('input', () => {
    window.clearTimeout(timer);
    timer = window.setTimeout(() => {
      if (search.value.trim() === q) return;
      q = search.value.trim();
      history.replaceState(history.state, '', location.pathname + (q ? `?q=${encodeURIComponent(q)}` : ''));
      pages.reset();
      void load();
    }, SEARCH_DELAY_MS);
  });
  ctx.signal.addEventListener('abort', () => window.clearTimeout(timer));
  createBtn.addEventListener('click', () => openEditor(null));

  async function load(): Promise<void> {
    const mine = ++seq;
    page.dataset.state = 'loading';
    replaceChildren(panel, loading('Loading projects…'));
    try {
      actor ??= await loadActor(accountId, ctx.signal);
      createBtn.hidden = !can(actor, 'projects.manage');
      const res = await api.get<Page<Project>>(base, { query: { q: q || undefined, cursor: pages.cursor() }, signal: ctx.signal });
      if (mine !== seq) return;
      replaceChildren(panel, table(res.items));
      pages.loaded(res.next);
      status.textContent = `${res.items.length} project${res.items.length === 1 ? '' : 's'} shown.`;
      page.dataset.state = 'ready';
    } catch (err) {
      if (ctx.signal.aborted || mine !== seq) return;
      const forbidden = err instanceof ApiError && err.status === 403;
      replaceChildren(panel, forbidden ? h('p', { class: 'empty' }, 'You cannot see the projects of this account.') : errorPanel(err, { title: 'The projects could not be loaded.', onRetry: () => void load() }));
      pages.hide();
      page.dataset.state = 'error';
    }
  }

  function table(items: Project[]): Node {
    if (!items.length) return h('p', { class: 'empty' }, q ? `No project is called “${q}…”.` : 'No projects yet.');
    const manage = can(actor, 'projects.manage');
    return stackable(h(
      'div',
      { class: 'table-wrap' },
      h(
        'table',
        { class: 'data-table', dataset: { table: 'projects' } },
        h('caption', { class: 'sr-only' }, 'Projects'),
        h('thead', null, h('tr', null, ['Project', 'Owner', 'Members', manage ? 'Actions' : ''].filter(Boolean).map((c) => h('th', { scope: 'col' }, c)))),
        h(
          'tbody',
          null,
          items.map((p) =>
            h(
              'tr',
              { dataset: { projectId: p.id } },
              h('th', { scope: 'row' }, p.name),
              h('td', null, p.ownerName),
              h('td', null, String(p.memberCount)),
              manage
                ? h(
                    'td',
                    null,
                    h(
                      'div',
                      { class: 'row-actions' },
                      h('button', { type: 'button', class: 'button button--secondary button--small', dataset: { action: 'edit' }, 'aria-label': `Edit ${p.name}`, onClick: () => openEditor(p) }, 'Edit'),
                      h('button', { type: 'button', class: 'button button--secondary button--small', dataset: { action: 'delete' }, 'aria-label': `Delete ${p.name}`, onClick: () => void remove(p) }, 'Delete'),
                    ),
                  )
                : null,
            ),
          ),
        ),
      ),
    ));
  }

  async function remove(p: Project): Promise<void> {
    const others = p.memberCount - 1;
    const ok = await confirmDialog({
      title: `Delete ${p.name}?`,
      body: [
        h('p', null, 'The project ', h('strong', null, p.name), ' is deleted for good.'),
        h('p', null, others > 0 ? `The assignments of its owner and of ${others} other member${others === 1 ? '' : 's'} end.` : 'The assignment of its owner ends.'),
      ],
      confirmLabel: 'Delete project',
      danger: true,
      action: () => api.delete(`${base}/${encodeURIComponent(p.id)}`, { query: { version: String(p.version) } }),
    });
    if (ok) {
      say(`${p.name} was deleted.`);
      await load();
    }
  }

  /** The create or edit dialog: name and owner (an active member). */
  function openEditor(p: Project | null): void {
    const name = field('Name', textInput({ value: p?.name ?? '', maxlength: 100, required: true }), { name: 'name' });
    const owner = field('Owner', select([], ''), { name: 'ownerId', hint: 'An active member of this account.' });
    const fields = { name, ownerId: owner };
    const alert = h('div', { class: 'alert alert--error', role: 'alert', hidden: true });
    const submit = h('button', { type: 'submit', class: 'button' }, p ? 'Save' : 'Create project');
    const ownerSelect = owner.control as HTMLSelectElement;
    void api
      .get<Page<Member>>(`/accounts/${encodeURIComponent(accountId)}/members`, { query: { status: 'active', limit: '100' }, signal: ctx.signal })
      .then((res) => {
        const current = p?.ownerId ?? actor?.me.id ?? '';
        replaceChildren(ownerSelect, res.items.map((m) => h('option', { value: m.userId, selected: m.userId === current }, fullName(m.firstName, m.lastName, m.email))));
        ownerSelect.value = current;
      })
      .catch(() => {
        replaceChildren(ownerSelect, h('option', { value: actor?.me.id ?? '' }, 'You'));
      });
    openDialog({
      title: p ? `Edit ${p.name}` : 'New project',
      content: (close) => {
        const formEl = h('form', { class: 'form', novalidate: true, dataset: { form: p ? 'project-edit' : 'project-create' } }, name.element, owner.element, alert, h('div', { class: 'dialog__actions' }, submit));
        formEl.addEventListener('submit', (e) => {
          e.preventDefault();
          clearErrors(fields, alert);
          submit.disabled = true;
          const body = { name: (name.control as HTMLInputElement).value.trim(), ownerId: ownerSelect.value };
          const req = p ? api.patch<Project>(`${base}/${encodeURIComponent(p.id)}`, { version: p.version, ...body }) : api.post<Project>(base, body);
          req
            .then((saved) => {
              close();
              say(p ? `${saved.name} was saved.` : `${saved.name} was created.`);
              void load();
            })
            .catch((err: unknown) => {
              if (err instanceof ApiError && err.code === 'stale_version') {
                close();
                say('Someone changed this project meanwhile; the list shows it as it is now.');
                void load();
                return;
              }
              showError(err, fields, alert);
            })
            .finally(() => {
              submit.disabled = false;
            });
        });
        return formEl;
      },
    });
  }

  void load();
  return page;
}

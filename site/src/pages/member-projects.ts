// The dialogs of a member's projects: the list of the member's projects
// (owned ones marked) where a project manager adds and removes
// assignments, opened from the members list's Projects column and from the
// member page; and the Transfer dialog of the member page.
import { api, ApiError } from '../api';
import type { PermissionCatalog, PermissionSet } from '../types';
import { effective } from '../ui/actor';
import { grants } from '../ui/catalog';
import { openDialog } from '../ui/dialog';
import { errorPanel, loading } from '../ui/feedback';
import { clearErrors, field, select, showError, type Field } from '../ui/form';
import { fullName } from '../ui/format';
import { h, replaceChildren } from '../ui/h';
import type { Assignment, Member, Page } from '../ui/model';
import { roleAndPermissions } from '../ui/permissions-editor';
import { clampGrant, mayGrant, mayGrantAll } from '../ui/roles';
import { loadAccounts } from '../session';
import type { Project } from './projects';


/** Opens the member's projects; onChange runs after an assignment changed. */
export function openMemberProjects(opts: { accountId: string; member: Member; manage: boolean; onChange?: () => void }): void {
  const base = `/accounts/${encodeURIComponent(opts.accountId)}`;
  const who = fullName(opts.member.firstName, opts.member.lastName, opts.member.email);
  const list = h('div', { class: 'member-projects', dataset: { memberProjects: opts.member.userId } });
  const status = h('p', { class: 'sr-only', role: 'status', 'aria-live': 'polite' });
  const adder = h('div', { class: 'toolbar' });
  let changed = false;

  const load = async (): Promise<void> => {
    replaceChildren(list, loading('Loading projects…'));
    try {
      const [mine, all] = await Promise.all([
        api.get<Page<Assignment>>(`${base}/members/${encodeURIComponent(opts.member.userId)}/projects`),
        opts.manage ? api.get<Page<Project>>(`${base}/projects`) : Promise.resolve({ items: [] as Project[] }),
      ]);
      replaceChildren(
        list,
        mine.items.length
          ? h(
              'ul',
              { class: 'plain-list' },
              mine.items.map((p) =>
                h(
                  'li',
                  { dataset: { projectId: p.id } },
                  h('span', null, p.name, p.owner ? ' (owner)' : ''),
                  opts.manage && !p.owner
                    ? h('button', { type: 'button', class: 'button button--secondary button--small', 'aria-label': `Remove ${who} from ${p.name}`, onClick: () => void change('DELETE', p.id, `${who} was removed from ${p.name}.`) }, 'Remove')
                    : null,
                ),
              ),
            )
          : h('p', { class: 'empty' }, `${who} is in no project.`),
      );
      const assigned = new Set(mine.items.map((p) => p.id));
      const choices = all.items.filter((p) => !assigned.has(p.id)).map((p) => [p.id, p.name] as [string, string]);
      if (opts.manage && opts.member.status === 'active' && choices.length) {
        const pick = field('Add to project', select(choices, choices[0]![0]), { name: 'projectId' });
        const add = h('button', { type: 'button', class: 'button', onClick: () => void change('PUT', (pick.control as HTMLSelectElement).value, `${who} was added to the project.`) }, 'Add');
        replaceChildren(adder, pick.element, add);
      } else {
        replaceChildren(adder);
      }
    } catch (err) {
      replaceChildren(list, errorPanel(err, { title: 'The projects could not be loaded.', onRetry: () => void load() }));
    }
  };

  const change = async (method: 'PUT' | 'DELETE', projectId: string, done: string): Promise<void> => {
    const path = `${base}/projects/${encodeURIComponent(projectId)}/members/${encodeURIComponent(opts.member.userId)}`;
    try {
      await (method === 'PUT' ? api.put(path) : api.delete(path));
      changed = true;
      status.textContent = done;
    } catch (err) {
      status.textContent = err instanceof Error ? err.message : String(err);
    }
    await load();
  };

  openDialog({
    title: `Projects of ${who}`,
    content: () => [list, adder, status],
    onClose: () => {
      if (changed) opts.onChange?.();
    },
  });
  void load();
}

/**
 * Opens the Transfer dialog: the destination (an account where the actor
 * may manage users: the server decides), the role and the permissions
 * there (only what the actor holds there can be given), and what happens
 * to the member's projects. onDone gets the destination's id.
 */
export function openTransfer(opts: { accountId: string; member: Member; catalog: PermissionCatalog; me: string; onDone: (toAccountId: string) => void }): void {
  const base = `/accounts/${encodeURIComponent(opts.accountId)}/members/${encodeURIComponent(opts.member.userId)}`;
  const who = fullName(opts.member.firstName, opts.member.lastName, opts.member.email);
  const body = h('div', null, loading('Loading your accounts…'));
  openDialog({
    title: `Transfer ${who} to another account`,
    class: 'dialog--wide',
    content: (close) => {
      void (async () => {
        const [accounts, mine] = await Promise.all([
          loadAccounts(),
          api.get<Page<Assignment>>(`${base}/projects`).catch(() => ({ items: [] as Assignment[] })),
        ]);
        // Only accounts where the actor's permissions include managing members.
        const candidates = accounts.filter((a) => a.id !== opts.accountId && a.status !== 'deactivated').slice(0, 50);
        const manages = await Promise.all(
          candidates.map((a) =>
            api
              .get<Member>(`/accounts/${encodeURIComponent(a.id)}/members/${encodeURIComponent(opts.me)}`)
              .then((m) => grants(effective(m), 'users.manage'))
              .catch(() => false),
          ),
        );
        const targets = candidates.filter((_, i) => manages[i]);
        if (!targets.length) {
          replaceChildren(body, h('p', { class: 'empty' }, 'You manage members of no other account.'));
          return;
        }
        const dest = field('Destination account', select(targets.map((a) => [a.id, a.name] as [string, string]), targets[0]!.id), { name: 'toAccountId' });
        const editorSlot = h('div');
        let grant = roleAndPermissions({ catalog: opts.catalog, role: opts.member.role, value: opts.member.permissions, limit: null, label: 'Role there' });
        const fields: Record<string, Field> = { toAccountId: dest, role: grant.role };
        const limitFor = async (accountId: string): Promise<void> => {
          let limit: PermissionSet | null = null;
          try {
            limit = effective(await api.get<Member>(`/accounts/${encodeURIComponent(accountId)}/members/${encodeURIComponent(opts.me)}`));
          } catch {
            limit = null;
          }
          // Their permissions here, cut down to what the actor may give there.
          const r = opts.member.role;
          const value = clampGrant(opts.catalog, opts.member.permissions, mayGrant(opts.catalog, limit, r), mayGrantAll(opts.catalog, limit, r));
          grant = roleAndPermissions({ catalog: opts.catalog, role: r, value, limit, legend: 'Permissions there', label: 'Role there' });
          fields.role = grant.role;
          replaceChildren(editorSlot, grant.role.element, grant.editor.element);
        };
        (dest.control as HTMLSelectElement).addEventListener('change', () => void limitFor((dest.control as HTMLSelectElement).value));
        await limitFor(targets[0]!.id);
        const owned = mine.items.filter((p) => p.owner);
        const others = mine.items.filter((p) => !p.owner);
        const fates = h(
          'div',
          { class: 'transfer__projects' },
          owned.length ? h('p', null, 'Moving with them: ', h('strong', null, owned.map((p) => p.name).join(', ')), '. The other members of these projects lose their assignments to them; to keep a project here, give it another owner first.') : null,
          others.length ? h('p', null, 'Their assignments end to: ', others.map((p) => p.name).join(', '), '.') : null,
          h('p', null, `${who}'s login, sessions and other accounts stay as they are.`),
        );
        const alert = h('div', { class: 'alert alert--error', role: 'alert', hidden: true });
        const submit = h('button', { type: 'submit', class: 'button' }, 'Transfer');
        const formEl = h('form', { class: 'form', novalidate: true, dataset: { form: 'transfer' } }, dest.element, editorSlot, fates, alert, h('div', { class: 'dialog__actions' }, submit));
        formEl.addEventListener('submit', (e) => {
          e.preventDefault();
          clearErrors(fields, alert);
          submit.disabled = true;
          const toAccountId = (dest.control as HTMLSelectElement).value;
          api
            .post<Member>(`${base}/transfer`, { version: opts.member.version, toAccountId, role: grant.role.control.value, permissions: grant.editor.value() })
            .then(() => {
              close();
              opts.onDone(toAccountId);
            })
            .catch((err: unknown) => {
              if (err instanceof ApiError && err.code === 'stale_version') alert.textContent = 'Someone changed this member meanwhile. Close this and reload.';
              showError(err, fields, alert);
            })
            .finally(() => {
              submit.disabled = false;
            });
        });
        replaceChildren(body, formEl);
      })();
      return body;
    },
  });
}

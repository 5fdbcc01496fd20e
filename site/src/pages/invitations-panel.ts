// The Invite panel (a modal dialog) and the invitation editor: email,
// names, role, and All or Custom permissions grouped by area, with preset
// buttons that only pre-fill. API errors are shown next to their field; a
// 409 invitation_pending offers to resend the pending invitation instead.
import { api, ApiError } from '../api';
import type { PermissionCatalog, PermissionSet, Role } from '../types';
import { accountPath } from '../ui/account-nav';
import { openDialog } from '../ui/dialog';
import { clearErrors, field, showError, textInput, type Field } from '../ui/form';
import { h } from '../ui/h';
import type { Invitation, Page } from '../ui/model';
import { roleAndPermissions } from '../ui/permissions-editor';
import { clampGrant, defaultGrant, mayGrant, mayGrantAll, roleDef } from '../ui/roles';

export interface InvitePanelOptions {
  accountId: string;
  catalog: PermissionCatalog;
  /** The actor's own permissions (what it may grant). */
  limit: PermissionSet | null;
  /** Fills the dialog in (re-inviting a former member): what the actor may not grant is left out. */
  prefill?: { email: string; firstName?: string; lastName?: string; role: string; permissions: PermissionSet } | undefined;
  onDone: (inv: Invitation | null) => void;
}

function invitationsPath(accountId: string, rest = ''): string {
  return `/accounts/${encodeURIComponent(accountId)}/invitations${rest}`;
}

/** Finds the pending invitation of an email, going through the list's pages. */
async function findPending(accountId: string, email: string): Promise<Invitation | null> {
  const wanted = email.trim().toLowerCase();
  let cursor: string | undefined;
  for (let i = 0; i < 50; i++) {
    const page = await api.get<Page<Invitation>>(invitationsPath(accountId), { query: { cursor } });
    const hit = page.items.find((x) => x.email.toLowerCase() === wanted);
    if (hit) return hit;
    if (!page.next) return null;
    cursor = page.next;
  }
  return null;
}

export function resendInvitation(accountId: string, id: string): Promise<Invitation> {
  return api.post<Invitation>(invitationsPath(accountId, `/${encodeURIComponent(id)}/resend`));
}

export function openInvitePanel(opts: InvitePanelOptions): void {
  const { catalog } = opts;
  let result: Invitation | null = null;
  const prefill = opts.prefill;
  const start = defaultGrant(catalog, opts.limit);
  if (prefill && roleDef(catalog, prefill.role) && prefill.role !== 'owner') {
    start.role = prefill.role;
    start.permissions = clampGrant(catalog, prefill.permissions, mayGrant(catalog, opts.limit, prefill.role), mayGrantAll(catalog, opts.limit, prefill.role));
  }

  openDialog({
    title: 'Invite someone',
    class: 'dialog--wide',
    onClose: () => opts.onDone(result),
    content: (close) => {
      const email = field('Email address', textInput({ type: 'email', autocomplete: 'off', required: true, maxlength: 254, value: prefill?.email ?? '' }), { name: 'email' });
      const first = field('First name (optional)', textInput({ autocomplete: 'off', maxlength: 100, value: prefill?.firstName ?? '' }), { name: 'firstName' });
      const last = field('Last name (optional)', textInput({ autocomplete: 'off', maxlength: 100, value: prefill?.lastName ?? '' }), { name: 'lastName' });
      const { role, editor } = roleAndPermissions({ catalog, limit: opts.limit, role: start.role, value: start.permissions, presets: true, fillOnRoleChange: true });
      const permError = h('p', { class: 'field-error', id: 'invite-permissions-error', hidden: true });
      const fields: Record<string, Field> = {
        email,
        firstName: first,
        lastName: last,
        role,
        permissions: {
          name: 'permissions',
          element: editor.element,
          control: email.control,
          setError: (m) => {
            permError.textContent = m ?? '';
            permError.hidden = !m;
          },
        },
      };
      // Focus the editor (not the email) when the API names permissions.
      fields.permissions!.control = (editor.element.querySelector('input') ?? email.control) as HTMLInputElement;

      const alert = h('div', { class: 'alert alert--error', role: 'alert', hidden: true });
      const submit = h('button', { type: 'submit', class: 'button' }, 'Send invitation');

      const pendingOffer = (address: string): HTMLElement => {
        const status = h('p', { role: 'status' });
        const resend = h(
          'button',
          {
            type: 'button',
            class: 'button button--secondary',
            dataset: { action: 'resend-pending' },
            onClick: async () => {
              resend.disabled = true;
              try {
                const inv = await findPending(opts.accountId, address);
                if (!inv) throw new Error('The pending invitation could not be found; look for it on the Pending tab.');
                result = await resendInvitation(opts.accountId, inv.id);
                status.textContent = `The invitation to ${address} was sent again.`;
              } catch (err) {
                status.textContent = err instanceof Error ? err.message : String(err);
                resend.disabled = false;
              }
            },
          },
          'Resend the pending invitation',
        );
        return h('div', { class: 'pending-offer' }, resend, status);
      };

      const form = h(
        'form',
        {
          class: 'form',
          novalidate: true,
          dataset: { form: 'invite' },
          onSubmit: async (e: SubmitEvent) => {
            e.preventDefault();
            clearErrors(fields, alert);
            const address = email.control.value.trim();
            if (!address) {
              email.setError('Enter the email address to invite.');
              email.control.focus();
              return;
            }
            const perms = editor.value();
            submit.disabled = true;
            submit.setAttribute('aria-busy', 'true');
            try {
              result = await api.post<Invitation>(invitationsPath(opts.accountId), {
                email: address,
                firstName: first.control.value.trim() || undefined,
                lastName: last.control.value.trim() || undefined,
                role: role.control.value as Role,
                permissions: perms,
              });
              close();
            } catch (err) {
              showError(err, fields, alert);
              if (err instanceof ApiError && err.code === 'invitation_pending') alert.append(pendingOffer(address));
              if (err instanceof ApiError && err.code === 'already_member') {
                alert.append(h('p', null, h('a', { href: accountPath(opts.accountId, '/members') }, 'See the members')));
              }
              if (err instanceof ApiError && err.status === 429 && err.retryAfter) {
                alert.append(h('p', null, `Try again in ${Math.ceil(err.retryAfter / 60)} minute(s).`));
              }
            } finally {
              submit.disabled = false;
              submit.removeAttribute('aria-busy');
            }
          },
        },
        alert,
        email.element,
        h('div', { class: 'field-row' }, first.element, last.element),
        role.element,
        editor.element,
        permError,
        h(
          'div',
          { class: 'dialog__actions' },
          h('button', { type: 'button', class: 'button button--secondary', onClick: close }, 'Cancel'),
          submit,
        ),
      );
      return form;
    },
    initialFocus: (d) => d.querySelector('input[type="email"]'),
  });
}

export interface EditInvitationOptions {
  accountId: string;
  invitation: Invitation;
  catalog: PermissionCatalog;
  limit: PermissionSet | null;
  onDone: (inv: Invitation | null) => void;
}

/** Edits a pending invitation's names, role and permissions (the email stays). */
export function openInvitationEditor(opts: EditInvitationOptions): void {
  let inv = opts.invitation;
  let result: Invitation | null = null;
  openDialog({
    title: `Edit the invitation to ${inv.email}`,
    class: 'dialog--wide',
    onClose: () => opts.onDone(result),
    content: (close) => {
      const first = field('First name', textInput({ maxlength: 100, value: inv.firstName ?? '' }), { name: 'firstName' });
      const last = field('Last name', textInput({ maxlength: 100, value: inv.lastName ?? '' }), { name: 'lastName' });
      const { role, editor } = roleAndPermissions({ catalog: opts.catalog, limit: opts.limit, role: inv.role, value: inv.permissions, presets: true });
      const fields: Record<string, Field> = { firstName: first, lastName: last, role };
      const alert = h('div', { class: 'alert alert--error', role: 'alert', hidden: true });
      const submit = h('button', { type: 'submit', class: 'button' }, 'Save invitation');
      return h(
        'form',
        {
          class: 'form',
          novalidate: true,
          dataset: { form: 'edit-invitation' },
          onSubmit: async (e: SubmitEvent) => {
            e.preventDefault();
            clearErrors(fields, alert);
            submit.disabled = true;
            try {
              result = await api.patch<Invitation>(invitationsPath(opts.accountId, `/${encodeURIComponent(inv.id)}`), {
                version: inv.version,
                firstName: first.control.value.trim(),
                lastName: last.control.value.trim(),
                role: role.control.value,
                permissions: editor.value(),
              });
              close();
            } catch (err) {
              showError(err, fields, alert);
              if (err instanceof ApiError && err.code === 'stale_version' && err.current) {
                inv = err.current as Invitation;
                first.control.value = inv.firstName ?? '';
                last.control.value = inv.lastName ?? '';
                role.control.value = inv.role;
                editor.setRole(inv.role);
                editor.setValue(inv.permissions);
                alert.append(h('p', null, 'The form now shows the current invitation. Make your change again and save.'));
              }
            } finally {
              submit.disabled = false;
            }
          },
        },
        alert,
        h('p', null, 'Email: ', h('strong', null, inv.email)),
        h('div', { class: 'field-row' }, first.element, last.element),
        role.element,
        editor.element,
        h(
          'div',
          { class: 'dialog__actions' },
          h('button', { type: 'button', class: 'button button--secondary', onClick: close }, 'Cancel'),
          submit,
        ),
      );
    },
  });
}

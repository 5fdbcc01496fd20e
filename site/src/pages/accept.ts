// Route /accept#token=T: the invitation link. The token is read from the
// fragment (which never reaches a server), removed from the address bar,
// and kept in sessionStorage so that it survives registering or signing in
// (and a reload); it only ever travels in request bodies.
//
// Opening this page only previews the invitation; nothing is accepted until
// the Accept button is pressed (mail scanners open links).
import { api, ApiError } from '../api';
import type { Route, RouteContext } from '../router';
import type { PermissionCatalog } from '../types';
import { asMe, clearSession, loadUser, setUser, type Me as SessionMe } from '../session';
import { loadCatalog } from '../ui/catalog';
import { errorPanel, loading } from '../ui/feedback';
import { clearErrors, field, showError, textInput, type Field } from '../ui/form';
import { formatDateTime, fullName } from '../ui/format';
import { roleDef, roleLabel } from '../ui/roles';
import { h, replaceChildren } from '../ui/h';
import { passwordHint } from '../ui/password';
import type { Accepted, InvitationPreview, Me } from '../ui/model';

const TOKEN_KEY = 'roster.invitationToken';

export const acceptRoute: Route = {
  path: '/accept',
  title: 'Invitation',
  watchFragment: true,
  render: (ctx) => acceptPage(ctx),
};

function takeToken(ctx: RouteContext): string | null {
  const fromLink = ctx.fragment.get('token');
  if (fromLink) {
    try {
      sessionStorage.setItem(TOKEN_KEY, fromLink);
    } catch {
      /* storage disabled: keep it in memory only */
    }
    ctx.router.clearFragment();
    return fromLink;
  }
  try {
    return sessionStorage.getItem(TOKEN_KEY);
  } catch {
    return null;
  }
}

function forgetToken(): void {
  try {
    sessionStorage.removeItem(TOKEN_KEY);
  } catch {
    /* ignore */
  }
}

function acceptPage(ctx: RouteContext): HTMLElement {
  const token = takeToken(ctx);
  const body = h('div', { class: 'page__body' });
  const page = h(
    'section',
    { class: 'page page--narrow', dataset: { page: 'accept', state: 'loading' }, 'aria-labelledby': 'accept-title' },
    h('h1', { id: 'accept-title' }, 'Invitation'),
    body,
  );
  const setState = (state: string): void => {
    page.dataset.state = state;
  };

  if (!token) {
    setState('no-token');
    replaceChildren(
      body,
      h('p', null, 'Open this page with the link from your invitation email. If the link does not work, ask the person who invited you to send it again.'),
    );
    return page;
  }

  let preview: InvitationPreview;
  let catalog: PermissionCatalog | null = null;

  const start = async (): Promise<void> => {
    setState('loading');
    replaceChildren(body, loading('Reading your invitation…'));
    try {
      const [p, cat] = await Promise.all([
        api.post<InvitationPreview>('/invitations/preview', { token }, { signal: ctx.signal, skipAuthHook: true }),
        loadCatalog().catch(() => null),
      ]);
      preview = p;
      catalog = cat;
    } catch (err) {
      if (ctx.signal.aborted) return;
      if (err instanceof ApiError && err.status === 410) {
        forgetToken();
        setState('expired');
        replaceChildren(
          body,
          h(
            'div',
            { class: 'alert alert--error', role: 'alert' },
            h('p', { class: 'alert__title' }, 'This invitation has expired.'),
            h('p', null, err.message),
            h('p', null, 'Invitations are valid for 7 days. Once they send it again, use the link in the new email.'),
          ),
        );
        return;
      }
      if (err instanceof ApiError && (err.status === 404 || err.status === 400)) {
        forgetToken();
        setState('invalid');
        replaceChildren(
          body,
          h(
            'div',
            { class: 'alert alert--error', role: 'alert' },
            h('p', { class: 'alert__title' }, 'This invitation link does not work.'),
            h('p', null, err.message),
            h('p', null, 'Ask the person who invited you for a new invitation.'),
          ),
        );
        return;
      }
      setState('error');
      replaceChildren(body, errorPanel(err, { title: 'The invitation could not be read.', onRetry: () => void start() }));
      return;
    }
    await showFor();
  };

  /** Renders the invitation and what the visitor can do, given who is signed in. */
  const showFor = async (): Promise<void> => {
    // session.ts asks GET /api/me only in a browser where someone signed
    // in, so a first-time visitor causes no 401.
    let me: Me | null;
    try {
      me = await loadUser();
    } catch {
      me = null;
    }
    if (ctx.signal.aborted) return;
    const summary = invitationSummary(preview, catalog);
    const invited = preview.email.toLowerCase();
    if (!me) {
      setState('signed-out');
      replaceChildren(body, summary, signedOutChoice());
    } else if (me.email.toLowerCase() !== invited) {
      setState('wrong-account');
      replaceChildren(body, summary, wrongAccount(me));
    } else {
      setState('ready');
      replaceChildren(body, summary, acceptBox(me));
    }
  };

  function invitationSummary(p: InvitationPreview, cat: PermissionCatalog | null): HTMLElement {
    const perms: HTMLElement = p.permissions.all
      ? h('p', { dataset: { permissions: 'all' } }, 'All permissions, including any added later.')
      : (p.permissions.granted ?? []).length === 0
        ? h('p', null, 'No permissions yet.')
        : h(
            'ul',
            { class: 'accept__perms', dataset: { permissions: 'custom' } },
            cat
              ? cat.areas.flatMap((a) =>
                  a.permissions
                    .filter((x) => (p.permissions.granted ?? []).includes(x.name))
                    .map((x) => h('li', { dataset: { permission: x.name } }, `${a.label}: ${x.label}`)),
                )
              : (p.permissions.granted ?? []).map((n) => h('li', { dataset: { permission: n } }, n)),
          );
    const inviter = fullName(p.inviterName, '', p.inviterEmail);
    return h(
      'div',
      { class: 'card accept' },
      h('p', { class: 'accept__lead' }, h('strong', null, inviter), ` (${p.inviterEmail}) invited you to join `, h('strong', { dataset: { account: '' } }, p.accountName), '.'),
      h(
        'dl',
        { class: 'facts' },
        h('dt', null, 'Invited address'),
        h('dd', { dataset: { invited: '' } }, p.email),
        h('dt', null, 'Role'),
        h('dd', { dataset: { role: p.role } }, roleLabel(catalog, p.role), roleDef(catalog, p.role) ? h('span', { class: 'hint' }, ` – ${roleDef(catalog, p.role)?.description}`) : null),
        h('dt', null, 'Valid until'),
        h('dd', null, formatDateTime(p.expiresAt)),
      ),
      h('h2', { class: 'accept__perms-title' }, 'Permissions'),
      perms,
    );
  }

  function acceptBox(me: Me): HTMLElement {
    const alert = h('div', { class: 'alert alert--error', role: 'alert', hidden: true });
    const button = h('button', { type: 'button', class: 'button', dataset: { action: 'accept' } }, `Accept and join ${preview.accountName}`);
    button.addEventListener('click', async () => {
      button.disabled = true;
      button.setAttribute('aria-busy', 'true');
      alert.hidden = true;
      alert.replaceChildren();
      try {
        const res = await api.post<Accepted>('/invitations/accept', { token }, { skipAuthHook: true });
        forgetToken();
        setState('accepted');
        replaceChildren(body, accepted(res));
        body.querySelector<HTMLElement>('h2')?.focus();
      } catch (err) {
        button.disabled = false;
        button.removeAttribute('aria-busy');
        if (err instanceof ApiError && err.status === 401) {
          clearSession();
          void showFor();
          return;
        }
        if (err instanceof ApiError && err.code === 'email_unverified') {
          setState('unverified');
          alert.append(
            h('p', { class: 'alert__title' }, 'Confirm your email address first.'),
            h('p', null, `We sent a confirmation link to ${me.email}. Open it, then come back to this page and press Accept again.`),
          );
        } else {
          alert.append(h('p', null, err instanceof Error ? err.message : String(err)));
          if (err instanceof ApiError) alert.append(h('p', { class: 'alert__code' }, 'Error code: ', h('code', null, err.code)));
          if (err instanceof ApiError && (err.status === 404 || err.status === 410)) {
            forgetToken();
            button.hidden = true;
          }
        }
        alert.hidden = false;
        alert.focus();
      }
    });
    alert.tabIndex = -1;
    const unverified =
      me.emailVerified === false
        ? h('p', { class: 'hint', dataset: { note: 'unverified' } }, `Your address ${me.email} is not confirmed yet: open the confirmation link we emailed you, then press Accept.`)
        : null;
    return h(
      'div',
      { class: 'accept__actions' },
      h('p', null, 'Signed in as ', h('strong', null, me.email), '.'),
      unverified,
      alert,
      button,
    );
  }

  function accepted(res: Accepted): HTMLElement {
    const home = `/accounts/${encodeURIComponent(res.accountId)}`;
    return h(
      'div',
      { class: 'card accept accept--done', dataset: { accountId: res.accountId } },
      h('h2', { tabindex: '-1' }, `You joined ${res.accountName}`),
      h('p', null, `You are now a member of ${res.accountName} as ${roleLabel(catalog, res.role)}.`),
      h('p', null, h('a', { href: home }, 'Continue to Roster')),
    );
  }

  function wrongAccount(me: Me): HTMLElement {
    const out = h('button', { type: 'button', class: 'button button--secondary', dataset: { action: 'sign-out' } }, 'Sign out');
    out.addEventListener('click', async () => {
      out.disabled = true;
      try {
        await api.post('/auth/logout', undefined, { skipAuthHook: true });
      } catch {
        /* signed out already, or the call failed: re-check below */
      }
      clearSession();
      await showFor();
      body.querySelector<HTMLElement>('[data-choice] button')?.focus();
    });
    return h(
      'div',
      { class: 'alert alert--error', role: 'alert', dataset: { refusal: 'email-mismatch' } },
      h('p', { class: 'alert__title' }, `This invitation is for ${preview.email}.`),
      h(
        'p',
        null,
        `You are signed in as ${me.email}, so you cannot accept it. Sign out, then sign in or register with ${preview.email}. ` +
          'Nothing has been changed.',
      ),
      out,
    );
  }

  function signedOutChoice(): HTMLElement {
    const area = h('div', { class: 'accept__form' });
    const registerBtn = h('button', { type: 'button', class: 'button', dataset: { choice: 'register' } }, 'Register');
    const signInBtn = h('button', { type: 'button', class: 'button button--secondary', dataset: { choice: 'sign-in' } }, 'Sign in');
    registerBtn.addEventListener('click', () => {
      registerBtn.setAttribute('aria-pressed', 'true');
      signInBtn.setAttribute('aria-pressed', 'false');
      replaceChildren(area, registerForm());
      area.querySelector<HTMLInputElement>('input:not([readonly])')?.focus();
    });
    signInBtn.addEventListener('click', () => {
      signInBtn.setAttribute('aria-pressed', 'true');
      registerBtn.setAttribute('aria-pressed', 'false');
      replaceChildren(area, signInForm());
      area.querySelector<HTMLInputElement>('input[type="password"]')?.focus();
    });
    return h(
      'div',
      { class: 'accept__choice', dataset: { choice: '' } },
      h('p', null, `To accept, register with ${preview.email}, or sign in if you already have a Roster login with that address.`),
      h('div', { class: 'button-row' }, registerBtn, signInBtn),
      area,
    );
  }

  function registerForm(): HTMLElement {
    const email = field('Email address', textInput({ type: 'email', value: preview.email, readonly: true, 'aria-readonly': 'true' }), {
      name: 'email',
      hint: 'The invitation is for this address.',
    });
    const first = field('First name', textInput({ autocomplete: 'given-name', value: preview.firstName ?? '', maxlength: 100 }), { name: 'firstName' });
    const last = field('Last name', textInput({ autocomplete: 'family-name', value: preview.lastName ?? '', maxlength: 100 }), { name: 'lastName' });
    const password = field('Password', textInput({ type: 'password', autocomplete: 'new-password', required: true }), {
      name: 'password',
      hint: passwordHint(),
    });
    const fields: Record<string, Field> = { email, firstName: first, lastName: last, password };
    const alert = h('div', { class: 'alert alert--error', role: 'alert', hidden: true });
    const submit = h('button', { type: 'submit', class: 'button' }, 'Register');
    return h(
      'form',
      {
        class: 'form',
        novalidate: true,
        dataset: { form: 'register' },
        onSubmit: async (e: SubmitEvent) => {
          e.preventDefault();
          clearErrors(fields, alert);
          submit.disabled = true;
          try {
            const res = await api.post<SessionMe | { user: SessionMe }>(
              '/auth/register',
              {
                email: preview.email,
                firstName: first.control.value.trim(),
                lastName: last.control.value.trim(),
                password: password.control.value,
                // The link was mailed to this address: registering from it
                // confirms the address, so Accept follows at once.
                invitationToken: token,
              },
              { skipAuthHook: true },
            );
            setUser(asMe(res));
            await showFor();
            body.querySelector<HTMLElement>('[data-action="accept"]')?.focus();
          } catch (err) {
            showError(err, fields, alert);
            submit.disabled = false;
          }
        },
      },
      alert,
      email.element,
      h('div', { class: 'field-row' }, first.element, last.element),
      password.element,
      submit,
    );
  }

  function signInForm(): HTMLElement {
    const email = field('Email address', textInput({ type: 'email', value: preview.email, autocomplete: 'username' }), { name: 'email' });
    const password = field('Password', textInput({ type: 'password', autocomplete: 'current-password' }), { name: 'password' });
    const code = field('Authentication code', textInput({ inputmode: 'numeric', autocomplete: 'one-time-code', maxlength: 20 }), {
      name: 'code',
      hint: 'From your authenticator app, or a recovery code.',
    });
    code.element.hidden = true;
    const fields: Record<string, Field> = { email, password, code };
    const alert = h('div', { class: 'alert alert--error', role: 'alert', hidden: true });
    const submit = h('button', { type: 'submit', class: 'button' }, 'Sign in');
    return h(
      'form',
      {
        class: 'form',
        novalidate: true,
        dataset: { form: 'sign-in' },
        onSubmit: async (e: SubmitEvent) => {
          e.preventDefault();
          clearErrors(fields, alert);
          submit.disabled = true;
          try {
            const res = await api.post<SessionMe | { user: SessionMe }>(
              '/auth/login',
              { email: email.control.value.trim(), password: password.control.value, code: code.element.hidden ? undefined : code.control.value.trim() },
              { skipAuthHook: true },
            );
            setUser(asMe(res));
            await showFor();
            body.querySelector<HTMLElement>('[data-action="accept"], [data-refusal] button')?.focus();
          } catch (err) {
            if (err instanceof ApiError && err.code === 'code_required') {
              code.element.hidden = false;
              code.control.focus();
            } else {
              showError(err, fields, alert);
            }
            submit.disabled = false;
          }
        },
      },
      alert,
      email.element,
      password.element,
      code.element,
      submit,
    );
  }

  void start();
  return page;
}

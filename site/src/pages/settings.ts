// Route /settings: the signed-in user's own login: name, email
// verification, password, and two-factor authentication (TOTP).
import { api } from '../api';
import type { Route, RouteContext } from '../router';
import { asMe, currentUser, setUser, type Me } from '../session';
import { loading } from '../ui/feedback';
import { h, replaceChildren } from '../ui/h';
import { inputField, form, notice } from '../ui/form';
import { requireUser } from './auth/guard';
import { resendButton } from './auth/verify';
import { passwordHint } from '../ui/password';

export const settingsRoute: Route = {
  path: '/settings',
  title: 'Your login',
  render: (ctx) => {
    const body = h('div', { class: 'page__body' }, loading('Loading your login…'));
    const section = h(
      'section',
      { class: ['page', 'page--narrow'], dataset: { page: 'settings', state: 'loading' }, 'aria-labelledby': 'settings-title' },
      h('h1', { id: 'settings-title' }, 'Your login'),
      h('p', { class: 'lead' }, 'Your name, password and sign-in security. They are the same in every account you belong to.'),
      body,
    );
    void requireUser(ctx).then((user) => {
      if (!user) return;
      replaceChildren(body, profileBlock(ctx, user), passwordBlock(ctx), twoFactorBlock(ctx));
      section.dataset.state = 'ready';
    });
    return section;
  },
};

function block(id: string, title: string, ...children: (Node | null)[]): HTMLElement {
  return h('section', { class: ['card', 'settings-block'], 'aria-labelledby': id, dataset: { block: id } }, h('h2', { id }, title), ...children);
}

function profileBlock(ctx: RouteContext, user: Me): HTMLElement {
  const firstName = inputField({ name: 'firstName', label: 'First name', autocomplete: 'given-name', required: true, maxlength: 100, value: user.firstName });
  const lastName = inputField({ name: 'lastName', label: 'Last name', autocomplete: 'family-name', required: true, maxlength: 100, value: user.lastName });
  const f = form({
    name: 'profile',
    fields: [firstName, lastName],
    submitLabel: 'Save name',
    busyLabel: 'Saving…',
    onSubmit: async (v, handle) => {
      const res = await api.patch<Me | { user: Me }>('/me', { firstName: v.firstName?.trim(), lastName: v.lastName?.trim() }, { signal: ctx.signal });
      setUser(asMe(res));
      handle.showSummary('Your name is saved.', { kind: 'ok' });
    },
  });
  const verification = user.emailVerified
    ? h('p', { class: 'settings-email' }, h('span', { class: 'field__label' }, 'Email address'), ' ', user.email, ' ', h('span', { class: 'badge badge--ok' }, 'confirmed'))
    : notice(
        'info',
        'Confirm your email address',
        h('p', null, 'We sent a link to ', h('strong', null, user.email), '. Until you follow it, you cannot use any account.'),
        resendButton(),
      );
  return block('profile-title', 'Name and email', verification, f.el);
}

function passwordBlock(ctx: RouteContext): HTMLElement {
  const current = inputField({ name: 'currentPassword', label: 'Current password', type: 'password', autocomplete: 'current-password', required: true, maxlength: 256 });
  const next = inputField({
    name: 'newPassword',
    label: 'New password',
    type: 'password',
    autocomplete: 'new-password',
    required: true,
    maxlength: 256,
    hint: passwordHint('Your other signed-in browsers are signed out.'),
  });
  const f = form({
    name: 'password',
    fields: [current, next],
    submitLabel: 'Change password',
    busyLabel: 'Changing…',
    // A wrong current password may come back without a field.
    fieldFor: (err) => (err.code === 'invalid_credentials' || err.code === 'wrong_password' ? 'currentPassword' : undefined),
    onSubmit: async (v, handle) => {
      await api.post('/me/password', { currentPassword: v.currentPassword, newPassword: v.newPassword }, { signal: ctx.signal });
      current.control.value = '';
      next.control.value = '';
      handle.showSummary('Your password is changed. Other browsers signed in with it were signed out.', { kind: 'ok' });
    },
  });
  return block('password-title', 'Password', f.el);
}

/** "JBSW Y3DP EHPK 3PXP": easier to read and type. */
export function groupSecret(secret: string): string {
  return (secret.replace(/\s+/g, '').match(/.{1,4}/g) ?? []).join(' ');
}

function twoFactorBlock(ctx: RouteContext): HTMLElement {
  const content = h('div', { class: 'twofa', 'aria-live': 'polite' });
  const el = block('twofa-title', 'Two-factor authentication', content);

  const show = (): void => {
    const user = currentUser();
    if (!user) return;
    el.dataset.state = user.twoFactorEnabled ? 'on' : 'off';
    replaceChildren(content, user.twoFactorEnabled ? enabledView(user) : disabledView());
  };

  const disabledView = (): Node => {
    const password = inputField({ name: 'password', label: 'Password', type: 'password', autocomplete: 'current-password', required: true, maxlength: 256, hint: 'To make sure it is you.' });
    const f = form({
      name: 'twofa-start',
      fields: [password],
      submitLabel: 'Set up two-factor authentication',
      busyLabel: 'Starting…',
      fieldFor: (err) => (err.code === 'invalid_credentials' || err.code === 'wrong_password' ? 'password' : undefined),
      onSubmit: async (v) => {
        const res = await api.post<{ secret: string; otpauthUrl: string }>('/me/2fa', { password: v.password }, { signal: ctx.signal });
        el.dataset.state = 'enrolling';
        replaceChildren(content, enrolView(res.secret, res.otpauthUrl));
        content.querySelector<HTMLInputElement>('input[name="code"]')?.focus();
      },
    });
    return h(
      'div',
      null,
      h('p', null, h('span', { class: 'badge' }, 'off'), ' Signing in asks only for your password. Add a code from an authenticator app for a second step.'),
      f.el,
    );
  };

  const enrolView = (secret: string, url: string): Node => {
    const code = inputField({ name: 'code', label: 'Code from the app', autocomplete: 'one-time-code', inputmode: 'numeric', required: true, maxlength: 10 });
    const cancel = h('button', { type: 'button', class: 'button button--link' }, 'Cancel');
    cancel.addEventListener('click', show);
    const f = form({
      name: 'twofa-confirm',
      fields: [code],
      submitLabel: 'Turn on',
      busyLabel: 'Checking…',
      actions: cancel,
      fieldFor: (err) => (err.code === 'invalid_code' ? 'code' : undefined),
      onSubmit: async (v) => {
        const res = await api.post<{ recoveryCodes: string[] }>('/me/2fa/confirm', { code: (v.code ?? '').replace(/\s+/g, '') }, { signal: ctx.signal });
        const user = currentUser();
        if (user) setUser({ ...user, twoFactorEnabled: true });
        el.dataset.state = 'recovery';
        replaceChildren(content, recoveryView(res.recoveryCodes ?? []));
        content.querySelector<HTMLElement>('.recovery')?.focus();
      },
    });
    return h(
      'div',
      null,
      h(
        'ol',
        { class: 'steps' },
        h(
          'li',
          null,
          h('p', null, 'In your authenticator app, add an account: scan this code, or enter the key below it (time-based, 6 digits).'),
          qrCode(url),
          h('p', { class: 'totp-secret', dataset: { secret } }, h('code', null, groupSecret(secret))),
          h(
            'details',
            { class: 'totp-url' },
            h('summary', null, 'Setup link for apps that accept one'),
            h('p', null, h('a', { href: url, 'data-native': true, class: 'totp-url__link' }, 'Open in authenticator app')),
            h('p', null, h('code', { class: 'totp-url__text' }, url)),
          ),
        ),
        h('li', null, h('p', null, 'Enter the code the app shows, to check it works:'), f.el),
      ),
    );
  };

  const recoveryView = (codes: string[]): Node => {
    const list = h('ul', { class: 'recovery__codes', 'aria-label': 'Recovery codes' }, codes.map((c) => h('li', null, h('code', null, c))));
    const status = h('span', { class: 'recovery__status', role: 'status' });
    const copy = h('button', { type: 'button', class: 'button button--secondary' }, 'Copy codes');
    copy.addEventListener('click', () => {
      const text = codes.join('\n');
      const selectList = (): void => {
        const range = document.createRange();
        range.selectNodeContents(list);
        const sel = window.getSelection();
        sel?.removeAllRanges();
        sel?.addRange(range);
      };
      if (navigator.clipboard?.writeText) {
        navigator.clipboard.writeText(text).then(
          () => {
            status.textContent = 'Copied.';
          },
          () => {
            selectList();
            status.textContent = 'Copying is not allowed here: the codes are selected, press Ctrl+C (⌘C).';
          },
        );
      } else {
        selectList();
        status.textContent = 'The codes are selected: press Ctrl+C (⌘C).';
      }
    });
    const doneButton = h('button', { type: 'button', class: 'button' }, 'I have saved them');
    doneButton.addEventListener('click', show);
    return h(
      'div',
      { class: 'recovery', tabindex: '-1' },
      notice(
        'ok',
        'Two-factor authentication is on',
        h('p', null, 'Save these recovery codes somewhere safe. Each one signs you in once if you lose your phone. They are shown only now.'),
      ),
      list,
      h('div', { class: 'form__actions' }, copy, doneButton, status),
    );
  };

  const enabledView = (_user: Me): Node => {
    const password = inputField({ name: 'password', label: 'Password', type: 'password', autocomplete: 'current-password', required: true, maxlength: 256, hint: 'To make sure it is you.' });
    const f = form({
      name: 'twofa-remove',
      fields: [password],
      submitLabel: 'Turn off two-factor authentication',
      busyLabel: 'Turning off…',
      fieldFor: (err) => (err.code === 'invalid_credentials' || err.code === 'wrong_password' ? 'password' : undefined),
      onSubmit: async (v) => {
        await api.delete('/me/2fa', { body: { password: v.password }, signal: ctx.signal });
        const user = currentUser();
        if (user) setUser({ ...user, twoFactorEnabled: false });
        show();
      },
    });
    f.submit.classList.add('button--danger');
    return h(
      'div',
      null,
      h('p', null, h('span', { class: 'badge badge--ok' }, 'on'), ' Signing in asks for a code from your authenticator app, or a recovery code.'),
      f.el,
    );
  };

  show();
  return el;
}

/**
 * The setup link as a QR code, drawn here in the browser (the secret never
 * goes to another service) by the uqr library, loaded only when needed.
 */
function qrCode(url: string): HTMLElement {
  const figure = h('figure', { class: 'totp-qr', dataset: { qr: 'loading' } }, h('figcaption', { class: 'sr-only' }, 'QR code of the setup link'));
  void import('uqr')
    .then(({ renderSVG }) => {
      const doc = new DOMParser().parseFromString(renderSVG(url, { ecc: 'M', pixelSize: 4 }), 'image/svg+xml');
      const svg = document.importNode(doc.documentElement, true);
      svg.setAttribute('role', 'img');
      svg.setAttribute('aria-label', 'QR code to scan with your authenticator app');
      figure.prepend(svg);
      figure.dataset.qr = 'ready';
    })
    .catch(() => {
      figure.dataset.qr = 'failed';
    });
  return figure;
}

// Route /reset#token=T: the link in the password reset mail. The token is
// taken from the fragment at once and the address bar cleaned.
import { api, ApiError } from '../../api';
import type { Route } from '../../router';
import { clearSession } from '../../session';
import { h, replaceChildren } from '../../ui/h';
import { inputField, form, notice, page } from '../../ui/form';
import { passwordHint } from '../../ui/password';

export const resetRoute: Route = {
  path: '/reset',
  title: 'Choose a new password',
  render: (ctx) => {
    const token = ctx.fragment.get('token') ?? '';
    ctx.router.clearFragment();
    const body = h('div', { class: 'page__body' });
    if (!token) {
      replaceChildren(
        body,
        notice(
          'error',
          'This link is incomplete',
          h('p', null, 'Open the link from the email again, or ', h('a', { href: '/forgot-password' }, 'ask for a new one'), '.'),
        ),
      );
      return page('reset', 'Choose a new password', null, body);
    }
    const password = inputField({
      name: 'password',
      label: 'New password',
      type: 'password',
      autocomplete: 'new-password',
      required: true,
      maxlength: 256,
      hint: passwordHint('Signing in elsewhere ends when you change it.'),
    });
    const confirm = inputField({ name: 'confirm', label: 'New password again', type: 'password', autocomplete: 'new-password', required: true, maxlength: 256 });
    const f = form({
      name: 'reset',
      fields: [password, confirm],
      submitLabel: 'Set new password',
      busyLabel: 'Saving…',
      onSubmit: async (v, handle) => {
        if (v.password !== v.confirm) {
          confirm.setError('The two passwords are not the same.');
          confirm.control.focus();
          return;
        }
        try {
          await api.post('/auth/password-reset/confirm', { token, password: v.password }, { signal: ctx.signal, skipAuthHook: true });
        } catch (err) {
          if (err instanceof ApiError && (err.code === 'invalid_token' || err.code === 'token_expired')) {
            handle.showSummary(err.message, { title: 'This link does not work any more', code: err.code });
            handle.summary.append(h('p', null, h('a', { href: '/forgot-password' }, 'Ask for a new link')));
            return;
          }
          throw err;
        }
        // Every session of the login ended, this browser's too.
        clearSession();
        replaceChildren(
          body,
          notice('ok', 'Your password is changed', h('p', null, 'Sign in with the new password.'), h('p', null, h('a', { href: '/sign-in', class: 'button' }, 'Sign in'))),
        );
      },
    });
    replaceChildren(body, f.el);
    return page('reset', 'Choose a new password', null, body);
  },
};

// Route /forgot-password: asks for a reset link. The answer is the same
// whether or not the address has a login.
import { api } from '../../api';
import type { Route } from '../../router';
import { h, replaceChildren } from '../../ui/h';
import { inputField, form, notice, page } from '../../ui/form';

export const forgotRoute: Route = {
  path: '/forgot-password',
  title: 'Reset your password',
  render: (ctx) => {
    const body = h('div', { class: 'page__body' });
    const email = inputField({ name: 'email', label: 'Email address', type: 'email', autocomplete: 'email', required: true, maxlength: 254 });
    const f = form({
      name: 'forgot',
      fields: [email],
      submitLabel: 'Send reset link',
      busyLabel: 'Sending…',
      onSubmit: async (v) => {
        const address = (v.email ?? '').trim();
        await api.post('/auth/password-reset', { email: address }, { signal: ctx.signal, skipAuthHook: true });
        replaceChildren(
          body,
          notice(
            'ok',
            'Check your email',
            h('p', null, 'If ', h('strong', null, address), ' has a Roster login, a link to choose a new password is on its way. It works for one hour, once.'),
            h('p', null, h('a', { href: '/sign-in' }, 'Back to sign in')),
          ),
        );
      },
    });
    replaceChildren(body, f.el, h('p', { class: 'form__alt' }, h('a', { href: '/sign-in' }, 'Back to sign in')));
    return page('forgot', 'Reset your password', 'We will email you a link to choose a new password.', body);
  },
};

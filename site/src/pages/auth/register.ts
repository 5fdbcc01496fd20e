// Route /register: create a login. The API answers the same for a new
// address and a taken one (it mails the link that confirms a new address,
// <site>/verify#token=T, or tells a taken address's owner), so the page
// says only: check your email.
import { api } from '../../api';
import type { Route } from '../../router';
import { h, replaceChildren } from '../../ui/h';
import { inputField, form, notice, page } from '../../ui/form';
import { resendButton } from './verify';
import { passwordHint } from '../../ui/password';

export const registerRoute: Route = {
  path: '/register',
  title: 'Create your login',
  render: (ctx) => {
    const email = inputField({ name: 'email', label: 'Email address', type: 'email', autocomplete: 'email', required: true, maxlength: 254 });
    const firstName = inputField({ name: 'firstName', label: 'First name', autocomplete: 'given-name', required: true, maxlength: 100 });
    const lastName = inputField({ name: 'lastName', label: 'Last name', autocomplete: 'family-name', required: true, maxlength: 100 });
    const password = inputField({
      name: 'password',
      label: 'Password',
      type: 'password',
      autocomplete: 'new-password',
      required: true,
      maxlength: 256,
      hint: passwordHint(),
    });
    const body = h('div', { class: 'page__body' });
    const f = form({
      name: 'register',
      fields: [email, firstName, lastName, password],
      submitLabel: 'Create login',
      busyLabel: 'Creating…',
      onSubmit: async (v) => {
        const address = v.email?.trim() ?? '';
        await api.post(
          '/auth/register',
          { email: address, firstName: v.firstName?.trim(), lastName: v.lastName?.trim(), password: v.password },
          { signal: ctx.signal, skipAuthHook: true },
        );
        replaceChildren(
          body,
          notice(
            'ok',
            'Check your email',
            h('p', null, 'We sent a message to ', h('strong', null, address), '. Follow its link to confirm your address, then sign in.'),
            h('p', null, 'No mail after a few minutes? Look in your spam folder, or send it again.'),
            resendButton(address),
          ),
        );
        const title = body.closest('section')?.querySelector('h1');
        if (title) title.textContent = 'Check your email';
        body.closest('section')?.setAttribute('data-state', 'registered');
      },
    });
    replaceChildren(body, f.el, h('p', { class: 'form__alt' }, 'Already have a login? ', h('a', { href: '/sign-in' }, 'Sign in')));
    return page('register', 'Create your login', 'One login for every Roster account you are invited to.', body);
  },
};

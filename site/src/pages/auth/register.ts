// Route /register: create a login. The API signs the new user in and mails
// a verification link (<site>/verify#token=T).
import { api } from '../../api';
import type { Route } from '../../router';
import { setUser, type Me } from '../../session';
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
        const res = await api.post<{ user: Me }>(
          '/auth/register',
          { email: v.email?.trim(), firstName: v.firstName?.trim(), lastName: v.lastName?.trim(), password: v.password },
          { signal: ctx.signal, skipAuthHook: true },
        );
        setUser(res.user);
        replaceChildren(
          body,
          notice(
            'ok',
            'Check your email',
            h('p', null, 'We sent a link to ', h('strong', null, res.user.email), '. Follow it to confirm your email address.'),
            h('p', null, 'No mail after a few minutes? Look in your spam folder, or send it again.'),
            resendButton(),
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

// Route /sign-in?next=/path: email and password, then, for a login with
// 2FA, a second step asking for the authenticator code or a recovery code.
// ?next= is followed only for paths of this site (no open redirect).
import { api, ApiError } from '../../api';
import type { Route } from '../../router';
import { loadAccounts, safeNext, setUser, type Me } from '../../session';
import { h, replaceChildren } from '../../ui/h';
import { inputField, form, page } from '../../ui/form';

export const signInRoute: Route = {
  path: '/sign-in',
  title: 'Sign in',
  render: (ctx) => {
    const next = safeNext(ctx.query.get('next'));
    const body = h('div', { class: 'page__body' });
    const section = page('sign-in', 'Sign in', null, body);
    section.dataset.step = 'password';

    const done = async (user: Me): Promise<void> => {
      setUser(user);
      if (user.emailVerified) await loadAccounts().catch(() => undefined);
      // Without ?next=, an unconfirmed login goes where it can ask for a new link.
      const target = (ctx.query.get('next') || user.emailVerified) ? next : '/settings';
      ctx.router.navigate(target, { replace: true });
    };

    const email = inputField({ name: 'email', label: 'Email address', type: 'email', autocomplete: 'username', required: true, maxlength: 254 });
    const password = inputField({ name: 'password', label: 'Password', type: 'password', autocomplete: 'current-password', required: true, maxlength: 256 });

    const codeStep = (emailValue: string, passwordValue: string): void => {
      section.dataset.step = 'code';
      const code = inputField({
        name: 'code',
        label: 'Authentication code',
        autocomplete: 'one-time-code',
        required: true,
        maxlength: 32,
        hint: 'The 6-digit code from your authenticator app, or one of your recovery codes.',
      });
      const back = h('button', { type: 'button', class: 'button button--link' }, 'Use another login');
      back.addEventListener('click', () => ctx.router.reload());
      const f = form({
        name: 'sign-in-code',
        fields: [code],
        submitLabel: 'Verify',
        busyLabel: 'Checking…',
        actions: back,
        fieldFor: (err) => (err.code === 'invalid_code' ? 'code' : undefined),
        onSubmit: async (v) => {
          try {
            const res = await api.post<{ user: Me }>(
              '/auth/login',
              { email: emailValue, password: passwordValue, code: (v.code ?? '').trim() },
              { signal: ctx.signal, skipAuthHook: true },
            );
            await done(res.user);
          } catch (err) {
            // The password was right a moment ago; a change meanwhile restarts.
            if (err instanceof ApiError && err.code === 'invalid_credentials') {
              ctx.router.reload();
              return;
            }
            throw err;
          }
        },
      });
      replaceChildren(
        body,
        h('p', { class: 'lead' }, 'Two-factor authentication is on for ', h('strong', null, emailValue), '.'),
        f.el,
      );
      code.control.focus();
    };

    const f = form({
      name: 'sign-in',
      fields: [email, password],
      submitLabel: 'Sign in',
      busyLabel: 'Signing in…',
      // The API does not say which of the two was wrong (on purpose).
      fieldFor: (err) => (err.code === 'invalid_credentials' ? 'password' : undefined),
      onSubmit: async (v) => {
        const emailValue = (v.email ?? '').trim();
        const passwordValue = v.password ?? '';
        try {
          const res = await api.post<{ user: Me }>(
            '/auth/login',
            { email: emailValue, password: passwordValue },
            { signal: ctx.signal, skipAuthHook: true },
          );
          await done(res.user);
        } catch (err) {
          if (err instanceof ApiError && err.code === 'code_required') {
            codeStep(emailValue, passwordValue);
            return;
          }
          throw err;
        }
      },
    });
    replaceChildren(
      body,
      f.el,
      h(
        'p',
        { class: 'form__alt' },
        h('a', { href: '/forgot-password' }, 'Forgot your password?'),
        ' · ',
        h('a', { href: '/register' }, 'Create a login'),
      ),
    );
    return section;
  },
};

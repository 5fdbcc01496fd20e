// Route /verify#token=T: the link in the verification mail. The token is read
// from the fragment, removed from the address bar, and posted in the body.
import { api, ApiError } from '../../api';
import type { Route } from '../../router';
import { loadAccounts, loadUser, setUser, type Me } from '../../session';
import { loading } from '../../ui/feedback';
import { h, replaceChildren } from '../../ui/h';
import { notice, page } from '../../ui/form';

/**
 * "Send the link again": for a signed-in unverified user (POST
 * /api/me/verification), or, given the address, for someone who just
 * registered and is not signed in (POST /api/auth/verification, which
 * answers the same for any address).
 */
export function resendButton(email?: string): HTMLElement {
  const status = h('p', { class: 'resend__status', role: 'status', 'aria-live': 'polite' });
  const button = h('button', { type: 'button', class: 'button button--secondary' }, 'Send the link again');
  button.addEventListener('click', () => {
    button.disabled = true;
    status.textContent = 'Sending…';
    const sent = email
      ? api.post('/auth/verification', { email }, { skipAuthHook: true })
      : api.post('/me/verification', undefined, { skipAuthHook: true });
    sent
      .then(() => {
        status.textContent = email ? 'Sent, if this address still needs it.' : 'Sent. The new link replaces the old one.';
      })
      .catch((err: unknown) => {
        if (err instanceof ApiError && err.status === 401) {
          replaceChildren(status, 'Sign in first, then ask for a new link. ', h('a', { href: '/sign-in?next=%2Fsettings' }, 'Sign in'));
        } else if (err instanceof ApiError && err.status === 429) {
          status.textContent = `${err.message} Try again later.`;
        } else {
          status.textContent = err instanceof Error ? err.message : String(err);
        }
      })
      .finally(() => {
        button.disabled = false;
      });
  });
  return h('div', { class: 'resend' }, button, status);
}

export const verifyRoute: Route = {
  path: '/verify',
  title: 'Confirm your email address',
  render: (ctx) => {
    const token = ctx.fragment.get('token') ?? '';
    ctx.router.clearFragment();
    const body = h('div', { class: 'page__body' });
    const section = page('verify', 'Confirm your email address', null, body);
    section.dataset.state = 'loading';

    if (!token) {
      section.dataset.state = 'error';
      replaceChildren(
        body,
        notice('error', 'This link is incomplete', h('p', null, 'Open the link from the email again, or copy all of it into the address bar.')),
      );
      return section;
    }

    replaceChildren(body, loading('Confirming your email address…'));
    api
      .post<{ user: Me }>('/auth/verify', { token }, { signal: ctx.signal, skipAuthHook: true })
      .then(async (res) => {
        // Only a signed-in browser learns the profile; otherwise just say so.
        const signedIn = await loadUser().catch(() => null);
        if (ctx.signal.aborted) return;
        if (signedIn && signedIn.id === res.user.id) {
          setUser(res.user);
          await loadAccounts().catch(() => undefined);
        }
        section.dataset.state = 'ready';
        replaceChildren(
          body,
          notice(
            'ok',
            'Your email address is confirmed',
            h('p', null, h('strong', null, res.user.email), ' is confirmed. You can use Roster now.'),
            h(
              'p',
              null,
              signedIn ? h('a', { href: '/accounts', class: 'button' }, 'Continue') : h('a', { href: '/sign-in', class: 'button' }, 'Sign in'),
            ),
          ),
        );
      })
      .catch(async (err: unknown) => {
        if (ctx.signal.aborted) return;
        section.dataset.state = 'error';
        const user = await loadUser().catch(() => null);
        const msg = err instanceof Error ? err.message : String(err);
        const code = err instanceof ApiError ? err.code : '';
        replaceChildren(
          body,
          notice(
            'error',
            code === 'token_expired' ? 'This link has expired' : 'This link did not work',
            h('p', null, msg),
            code ? h('p', { class: 'alert__code' }, 'Error code: ', h('code', null, code)) : null,
            user && !user.emailVerified
              ? resendButton()
              : user
                ? h('p', null, 'Your email address is confirmed already. ', h('a', { href: '/accounts' }, 'Continue'))
                : h('p', null, h('a', { href: '/sign-in?next=%2Fsettings' }, 'Sign in'), ' to ask for a new link.'),
          ),
        );
      });
    return section;
  },
};

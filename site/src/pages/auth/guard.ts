// Pages for signed-in users: wait for the session, else go to sign-in and come back.
import type { RouteContext } from '../../router';
import { loadUser, type Me } from '../../session';

export async function requireUser(ctx: RouteContext): Promise<Me | null> {
  const user = await loadUser().catch(() => null);
  if (ctx.signal.aborted) return null;
  if (!user) {
    ctx.router.navigate(`/sign-in?next=${encodeURIComponent(location.pathname + location.search)}`, { replace: true });
    return null;
  }
  return user;
}

// Roster admin site: boots the router and the header's health indicator.
import './styles.css';
import { onUnauthorized } from './api';
import { catalogRoute } from './pages/catalog';
import { accountNewRoute, accountsRoute } from './pages/accounts';
import { accountRoute, homeRoute } from './pages/account';
import { forgotRoute } from './pages/auth/forgot';
import { startSessionHeader } from './pages/auth/header';
import { registerRoute } from './pages/auth/register';
import { resetRoute } from './pages/auth/reset';
import { signInRoute } from './pages/auth/sign-in';
import { verifyRoute } from './pages/auth/verify';
import { settingsRoute } from './pages/settings';
import { clearSession, signInHint } from './session';

// The header keeps room for the session's parts from the first paint when
// this browser signed in before, so nothing shifts when they arrive.
document.documentElement.dataset.session = signInHint() ? 'yes' : 'no';
import { notFoundRoute } from './pages/not-found';
import { acceptRoute } from './pages/accept';
import { historyRoute } from './pages/history';
import { memberRoute } from './pages/member';
import { membersRoute } from './pages/members';
import { projectsRoute } from './pages/projects';
import { Router, type Route } from './router';
import { startHealth } from './ui/health';

// "/" opens the signed-in user's current account; /accounts/new comes
// before /accounts/:accountId so that it is not read as an account id.
const routes: Route[] = [homeRoute, accountsRoute, accountNewRoute, accountRoute, catalogRoute];
routes.push(settingsRoute, signInRoute, registerRoute, verifyRoute, forgotRoute, resetRoute);
routes.push(membersRoute, memberRoute, projectsRoute, historyRoute, acceptRoute);

const outlet = document.getElementById('main');
if (!outlet) throw new Error('index.html has no #main');

const router = new Router(outlet, routes, notFoundRoute);

// A 401 from any call means the session is gone: go to sign-in, then come back.
onUnauthorized(() => {
  clearSession();
  if (!router.has('/sign-in') || location.pathname === '/sign-in') return;
  const next = location.pathname + location.search;
  router.navigate(`/sign-in?next=${encodeURIComponent(next)}`, { replace: true });
});

startHealth(document.getElementById('health'));
startSessionHeader(router, document.getElementById('account-switcher'), document.getElementById('user-menu'));
router.start(document.getElementById('site-nav'));

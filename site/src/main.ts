// Roster admin site: boots the router and the header's health indicator.
import './styles.css';
import { onUnauthorized } from './api';
import { accountRoute, homeRoute } from './pages/account';
import { forgotRoute } from './pages/auth/forgot';
import { startSessionHeader } from './pages/auth/header';
import { registerRoute } from './pages/auth/register';
import { resetRoute } from './pages/auth/reset';
import { signInRoute } from './pages/auth/sign-in';
import { verifyRoute } from './pages/auth/verify';
import { clearSession, signInHint } from './session';

// The header keeps room for the session's parts from the first paint when
// this browser signed in before, so nothing shifts when they arrive.
document.documentElement.dataset.session = signInHint() ? 'yes' : 'no';
import { notFoundRoute } from './pages/not-found';
import { prefetchMembers } from './pages/members-requests';
import { lazyRoute, Router, type Route } from './router';
import { startHealth } from './ui/health';

// The sign-in pages and the account's home are in the first script; every
// other page's code loads with it (lazyRoute), so that no page evaluates
// the code of all the others.
const accountsRoute = lazyRoute({ path: '/accounts', title: 'Your accounts', nav: 'Accounts' }, () => import('./pages/accounts').then((m) => m.accountsRoute));
const accountNewRoute = lazyRoute({ path: '/accounts/new', title: 'Create an account' }, () => import('./pages/accounts').then((m) => m.accountNewRoute));
const catalogRoute = lazyRoute({ path: '/permissions', title: 'Permissions', nav: 'Permissions' }, () => import('./pages/catalog').then((m) => m.catalogRoute));
const settingsRoute = lazyRoute({ path: '/settings', title: 'Your login' }, () => import('./pages/settings').then((m) => m.settingsRoute));
const membersRoute = lazyRoute({ path: '/accounts/:accountId/members', title: 'Members', prefetch: prefetchMembers }, () => import('./pages/members').then((m) => m.membersRoute));
const memberRoute = lazyRoute({ path: '/accounts/:accountId/members/:userId', title: 'Member' }, () => import('./pages/member').then((m) => m.memberRoute));
const projectsRoute = lazyRoute({ path: '/accounts/:accountId/projects', title: 'Projects' }, () => import('./pages/projects').then((m) => m.projectsRoute));
const historyRoute = lazyRoute({ path: '/accounts/:accountId/history', title: 'History' }, () => import('./pages/history').then((m) => m.historyRoute));
const acceptRoute = lazyRoute({ path: '/accept', title: 'Invitation', watchFragment: true }, () => import('./pages/accept').then((m) => m.acceptRoute));

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

startSessionHeader(router, document.getElementById('account-switcher'), document.getElementById('user-menu'));
router.start(document.getElementById('site-nav'));
// The health indicator waits for the page's own requests and rendering.
whenIdle(() => startHealth(document.getElementById('health')));

function whenIdle(run: () => void): void {
  if ('requestIdleCallback' in window) window.requestIdleCallback(run, { timeout: 2000 });
  else setTimeout(run, 500);
}

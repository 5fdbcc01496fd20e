// Roster admin site: boots the router and the header's health indicator.
import './styles.css';
import { onUnauthorized } from './api';
import { catalogRoute } from './pages/catalog';
import { notFoundRoute } from './pages/not-found';
import { Router, type Route } from './router';
import { startHealth } from './ui/health';

// Pages to come: /sign-in, /members, /invitations, /history, /accept (#token=).
const routes: Route[] = [catalogRoute];

const outlet = document.getElementById('main');
if (!outlet) throw new Error('index.html has no #main');

const router = new Router(outlet, routes, notFoundRoute);

// A 401 from any call means the session is gone: go to sign-in, then come back.
onUnauthorized(() => {
  if (!router.has('/sign-in') || location.pathname === '/sign-in') return;
  const next = location.pathname + location.search;
  router.navigate(`/sign-in?next=${encodeURIComponent(next)}`, { replace: true });
});

startHealth(document.getElementById('health'));
router.start(document.getElementById('site-nav'));

// A small history-API router. Paths are real paths (/members, /accept), so
// fragments stay free for secrets that must never reach a server or a log:
// the invitation link is /accept#token=T, read from ctx.fragment.
//
// The host (CloudFront, the local gateway) must answer any non-/api path that
// is not a file with index.html, so that reloading /members works.

import { h, replaceChildren } from './ui/h';

export interface RouteContext {
  /** The matched path, without trailing slash. */
  path: string;
  /** Named segments: /members/:userId gives params.userId. */
  params: Record<string, string>;
  query: URLSearchParams;
  /** Parameters in the URL fragment (#token=...). */
  fragment: URLSearchParams;
  /** Aborted when the user navigates away: pass it to api calls. */
  signal: AbortSignal;
  router: Router;
}

export interface Route {
  /** "/", "/members", "/members/:userId" */
  path: string;
  /** Document title (" · Roster" is appended). */
  title: string | ((ctx: RouteContext) => string);
  /** Label in the main navigation; routes without one are not listed. */
  nav?: string;
  /** Renders again when only the fragment changes (a second /accept#token= link opened in the same tab). */
  watchFragment?: boolean;
  /** Builds the page. Pages show their own loading state and use ctx.signal. */
  render: (ctx: RouteContext) => Node;
}

/**
 * A route whose page code is loaded on first use, as a chunk of its own, so
 * that a page evaluates only its own code and the shell's. meta repeats the
 * page module's path and title, which the router needs before loading it;
 * its prefetch, when given, starts the page's first requests (api.prefetch)
 * while the chunk downloads, rather than after.
 */
export function lazyRoute(meta: Omit<Route, 'render'> & { prefetch?: (ctx: RouteContext) => void }, load: () => Promise<Route>): Route {
  let module: Promise<Route> | undefined;
  let loaded = false;
  const { prefetch, ...route } = meta;
  return {
    ...route,
    render: (ctx) => {
      const holder = h('div', { class: 'page-pending' });
      const loading = (module ??= load());
      // Only while the chunk downloads (once it is here, the page asks at
      // once), and in a task of its own, so the page's first task stays short.
      if (prefetch && !loaded) setTimeout(() => loaded || prefetch(ctx), 0);
      loading.then(
        (route) => {
          loaded = true;
          if (!ctx.signal.aborted) holder.replaceWith(route.render(ctx));
        },
        (err: unknown) => {
          console.error(err);
          module = undefined;
          holder.append(h('p', { role: 'alert' }, 'This page failed to load. Check your connection and reload the page.'));
        },
      );
      return holder;
    },
  };
}

interface CompiledRoute {
  route: Route;
  pattern: RegExp;
  keys: string[];
}

function compile(route: Route): CompiledRoute {
  const keys: string[] = [];
  const source = normalize(route.path)
    .split('/')
    .map((seg) => {
      if (seg.startsWith(':')) {
        keys.push(seg.slice(1));
        return '([^/]+)';
      }
      return seg.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    })
    .join('/');
  return { route, pattern: new RegExp(`^${source}$`), keys };
}

function normalize(path: string): string {
  if (path.length > 1 && path.endsWith('/')) path = path.replace(/\/+$/, '');
  return path || '/';
}

export class Router {
  private readonly compiled: CompiledRoute[];
  private controller: AbortController | null = null;
  /** pathname + search of the page on screen; hash-only changes keep it. */
  private current: string | null = null;
  private navEl: HTMLElement | null = null;

  constructor(
    private readonly outlet: HTMLElement,
    routes: Route[],
    private readonly notFound: Route,
  ) {
    this.compiled = routes.map(compile);
  }

  /** Starts listening to link clicks and history changes and renders the current URL. */
  start(nav?: HTMLElement | null): void {
    this.navEl = nav ?? null;
    this.renderNav();
    window.addEventListener('popstate', () => this.render(false));
    window.addEventListener('hashchange', () => this.render(false));
    document.addEventListener('click', (e) => this.onClick(e));
    this.render(true);
  }

  has(path: string): boolean {
    return this.compiled.some((c) => c.pattern.test(normalize(path)));
  }

  /** Navigates to a same-origin URL ("/members?status=active"). */
  navigate(to: string, opts: { replace?: boolean } = {}): void {
    const url = new URL(to, location.href);
    if (url.origin !== location.origin) {
      location.assign(url.href);
      return;
    }
    if (opts.replace) history.replaceState(null, '', url.href);
    else history.pushState(null, '', url.href);
    this.render(false);
  }

  /**
   * Records a change of the page's own state in the address (a tab, a
   * filter) without rendering again: with push, Back returns to the
   * previous state by rendering that address.
   */
  remember(search: URLSearchParams, opts: { push?: boolean } = {}): void {
    const qs = search.toString();
    const url = location.pathname + (qs ? `?${qs}` : '');
    if (url === location.pathname + location.search) return;
    if (opts.push) history.pushState(null, '', url);
    else history.replaceState(history.state, '', url);
    this.current = url;
  }

  /** Removes the fragment from the address bar (after reading a token from it). */
  clearFragment(): void {
    if (location.hash) history.replaceState(history.state, '', location.pathname + location.search);
    this.current = location.pathname + location.search;
  }

  /** Renders the current page again (after sign-in, for example). */
  reload(): void {
    this.current = null;
    this.render(false);
  }

  private onClick(e: MouseEvent): void {
    if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
    const a = (e.target as Element | null)?.closest?.('a');
    if (!a || !a.href || a.hasAttribute('download') || a.hasAttribute('data-native')) return;
    if (a.target && a.target !== '_self') return;
    const url = new URL(a.href, location.href);
    if (url.origin !== location.origin || url.pathname.startsWith('/api/')) return;
    // A jump within the same page (skip link, #section): leave it to the browser.
    if (url.pathname === location.pathname && url.search === location.search && url.hash) return;
    e.preventDefault();
    this.navigate(url.pathname + url.search + url.hash);
  }

  private match(path: string): { route: Route; params: Record<string, string> } {
    for (const c of this.compiled) {
      const m = c.pattern.exec(path);
      if (!m) continue;
      const params: Record<string, string> = {};
      c.keys.forEach((k, i) => {
        params[k] = decodeURIComponent(m[i + 1] ?? '');
      });
      return { route: c.route, params };
    }
    return { route: this.notFound, params: {} };
  }

  private render(initial: boolean): void {
    const path = normalize(location.pathname);
    const { route, params } = this.match(path);
    const key = location.pathname + location.search + (route.watchFragment ? location.hash : '');
    if (key === this.current) return; // only the fragment changed
    this.current = key;

    this.controller?.abort();
    this.controller = new AbortController();

    const ctx: RouteContext = {
      path,
      params,
      query: new URLSearchParams(location.search),
      fragment: new URLSearchParams(location.hash.slice(1)),
      signal: this.controller.signal,
      router: this,
    };
    const title = typeof route.title === 'function' ? route.title(ctx) : route.title;
    document.title = title ? `${title} · Roster` : 'Roster';
    this.outlet.dataset.route = route.path;

    let page: Node;
    try {
      page = route.render(ctx);
    } catch (err) {
      console.error(err);
      page = h('p', { role: 'alert' }, 'This page failed to load.');
    }
    replaceChildren(this.outlet, page);
    this.renderNav();

    if (!initial) {
      window.scrollTo(0, 0);
      // Move focus to the new content so screen readers announce it.
      this.outlet.focus({ preventScroll: true });
    }
  }

  private renderNav(): void {
    if (!this.navEl) return;
    const path = normalize(location.pathname);
    const items = this.compiled
      .filter((c) => c.route.nav)
      .map((c) =>
        h(
          'li',
          null,
          h('a', { href: c.route.path, 'aria-current': c.pattern.test(path) ? 'page' : null }, c.route.nav),
        ),
      );
    replaceChildren(this.navEl, items.length ? h('ul', null, items) : null);
  }
}

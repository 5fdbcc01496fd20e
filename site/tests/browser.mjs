// Headless Chromium (Debian's /usr/bin/chromium; Playwright's own browsers are
// not downloaded) and a watcher that records everything a page should never do.
import { chromium } from 'playwright-core';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export function launchBrowser() {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
}

/**
 * Opens a page that records console errors, uncaught exceptions, CSP
 * violations, requests to other origins and failed requests.
 * `allow` lists regexps of console errors / failed URLs a test expects.
 */
export async function watchedPage(context, siteOrigin) {
  const page = await context.newPage();
  const problems = {
    consoleErrors: [],
    pageErrors: [],
    cspViolations: [],
    foreignRequests: [],
    failedRequests: [],
    badResponses: [],
  };

  // Runs before any page script, outside the page's CSP.
  await page.addInitScript(() => {
    window.__csp = [];
    document.addEventListener('securitypolicyviolation', (e) => {
      window.__csp.push(`${e.violatedDirective} blocked ${e.blockedURI || '(inline)'} at ${e.sourceFile}:${e.lineNumber}`);
    });
  });

  page.on('console', (msg) => {
    const text = msg.text();
    if (msg.type() === 'error') problems.consoleErrors.push(text);
    if (/Content Security Policy/i.test(text)) problems.cspViolations.push(text);
  });
  page.on('pageerror', (err) => problems.pageErrors.push(String(err?.stack ?? err)));
  page.on('request', (req) => {
    const url = req.url();
    // data: URLs are in-document; everything else must be the site's own origin.
    if (url.startsWith('data:')) return;
    let origin;
    try {
      origin = new URL(url).origin;
    } catch {
      origin = url;
    }
    if (origin !== siteOrigin) problems.foreignRequests.push(url);
  });
  page.on('requestfailed', (req) => {
    problems.failedRequests.push(`${req.method()} ${req.url()}: ${req.failure()?.errorText}`);
  });
  page.on('response', (res) => {
    if (res.status() >= 400) problems.badResponses.push(`${res.status()} ${res.request().method()} ${res.url()}`);
  });

  const collect = async () => {
    const fromPage = await page.evaluate(() => window.__csp ?? []).catch(() => []);
    for (const v of fromPage) if (!problems.cspViolations.includes(v)) problems.cspViolations.push(v);
    return problems;
  };
  return { page, problems, collect };
}

/**
 * Runs axe-core on the page as it is and returns the serious and critical
 * violations, each as "rule: target (summary)".
 */
export async function seriousViolations(page, include) {
  const { AxeBuilder } = await import('@axe-core/playwright');
  let builder = new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']);
  if (include) builder = builder.include(include);
  const { violations } = await builder.analyze();
  return violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .flatMap((v) => v.nodes.map((n) => `${v.id}: ${n.target.join(' ')} (${n.failureSummary?.split('\n')[1]?.trim() ?? v.help})`));
}

/** The page's cumulative layout shift so far (the sum of shifts without recent input, as Lighthouse counts it). */
export async function layoutShift(page) {
  return page.evaluate(
    () =>
      new Promise((resolve) => {
        let total = 0;
        new PerformanceObserver((list) => {
          for (const e of list.getEntries()) if (!e.hadRecentInput) total += e.value;
        }).observe({ type: 'layout-shift', buffered: true });
        setTimeout(() => resolve(total), 300);
      }),
  );
}

/** A browser context signed in with a session cookie, as signing in would leave it (the cookie and the site's hint). */
export async function signedInContext(browser, site, cookie, viewport = { width: 1360, height: 900 }) {
  const context = await browser.newContext({ viewport });
  if (cookie) {
    const [name, value] = cookie.split('=');
    await context.addCookies([{ name, value, url: site }]);
    await context.addInitScript(() => localStorage.setItem('roster.signedIn', '1'));
  }
  return context;
}

/** Opens the members page of an account and its Invite dialog; returns the dialog. */
export async function openInviteDialog(page, site, accountId) {
  await page.goto(`${site}/accounts/${accountId}/members`);
  await page.waitForSelector('[data-page="members"][data-state="ready"]', { timeout: 20_000 });
  await page.getByRole('button', { name: 'Invite', exact: true }).click();
  const dialog = page.locator('dialog[open]');
  await dialog.waitFor();
  return dialog;
}

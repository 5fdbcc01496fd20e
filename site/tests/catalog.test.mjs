// Browser test of the permission catalog page against the real local stack.
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';

import { launchBrowser, watchedPage } from './browser.mjs';
import { repoRoot, resultsDir, startStack } from './stack.mjs';

// The catalog the API serves is this file, exactly.
const catalog = JSON.parse(readFileSync(path.join(repoRoot, 'shared/domain/permissions.json'), 'utf8'));
const allNames = catalog.areas.flatMap((a) => a.permissions.map((p) => p.name));

let stack;
let browser;
let context;
let origin;

before(async () => {
  mkdirSync(resultsDir, { recursive: true });
  stack = await startStack();
  origin = new URL(stack.site).origin;
  browser = await launchBrowser();
  context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
}, { timeout: 120_000 });

after(async () => {
  await context?.close().catch(() => {});
  await browser?.close().catch(() => {});
  await stack?.stop();
});

/** The catalog as the page shows it, read back from the DOM. */
function readCatalogFromDom() {
  const text = (el) => (el?.textContent ?? '').replace(/\s+/g, ' ').trim();
  const areas = [...document.querySelectorAll('.areas > [data-area]')].map((li) => ({
    id: li.dataset.area,
    label: text(li.querySelector('h3')),
    permissions: [...li.querySelectorAll('[data-permission]')].map((p) => ({
      name: text(p.querySelector('.perm__name')),
      label: text(p.querySelector('.perm__label')),
    })),
  }));
  const presets = [...document.querySelectorAll('.presets > [data-preset]')].map((li) => ({
    id: li.dataset.preset,
    label: text(li.querySelector('.preset__label')),
    role: text(li.querySelector('.badge')).replace(/^role /, ''),
  }));
  const matrixHeaders = [...document.querySelectorAll('.matrix thead th[data-preset]')].map((th) => text(th));
  const matrix = {};
  for (const td of document.querySelectorAll('.matrix td[data-preset]')) {
    const name = td.closest('tr').dataset.permission;
    matrix[td.dataset.preset] ??= [];
    if (td.dataset.granted === 'true') matrix[td.dataset.preset].push(name);
  }
  return { areas, presets, matrixHeaders, matrix, title: document.title, h1: text(document.querySelector('h1')) };
}

function assertClean(problems, { allowConsole = [] } = {}) {
  const unexpected = problems.consoleErrors.filter((m) => !allowConsole.some((re) => re.test(m)));
  assert.deepEqual(unexpected, [], 'console errors');
  assert.deepEqual(problems.pageErrors, [], 'uncaught page errors');
  assert.deepEqual(problems.cspViolations, [], 'CSP violations');
  assert.deepEqual(problems.foreignRequests, [], 'requests to other origins');
}

describe('permission catalog page', () => {
  test('lists every area, permission and preset from permissions.json, with the API healthy', async () => {
    const { page, problems, collect } = await watchedPage(context, origin);
    const res = await page.goto(stack.site + '/permissions', { waitUntil: 'load' });
    assert.equal(res.status(), 200);
    const csp = res.headers()['content-security-policy'] ?? '';
    assert.match(csp, /script-src 'self'/, 'the page is served with the strict CSP');

    await page.waitForSelector('[data-page="catalog"][data-state="ready"]', { timeout: 15_000 });
    await page.waitForSelector('#health[data-state="ok"]', { timeout: 15_000 });
    assert.equal((await page.textContent('#health'))?.replace(/\s+/g, ' ').trim(), 'API OK');

    const dom = await page.evaluate(readCatalogFromDom);
    assert.equal(dom.title, 'Permissions · Roster');
    assert.equal(dom.h1, 'Permissions');

    // Areas and permissions: ids, labels, names, in the catalog's order.
    assert.deepEqual(
      dom.areas,
      catalog.areas.map((a) => ({ id: a.id, label: a.label, permissions: a.permissions.map(({ name, label }) => ({ name, label })) })),
    );

    // Presets: label and role on a card, and a matrix column granting exactly what the preset grants.
    assert.deepEqual(
      dom.presets,
      catalog.presets.map((p) => ({ id: p.id, label: p.label, role: p.role })),
    );
    assert.deepEqual(dom.matrixHeaders, catalog.presets.map((p) => p.label));
    for (const p of catalog.presets) {
      const expected = p.permissions.all ? allNames : allNames.filter((n) => p.permissions.granted.includes(n));
      assert.deepEqual(dom.matrix[p.id], expected, `permissions granted by preset ${p.id}`);
    }
    const allPreset = catalog.presets.find((p) => p.permissions.all);
    if (allPreset) {
      assert.match(await page.textContent(`.presets [data-preset="${allPreset.id}"]`), /All permissions/);
    }

    await page.screenshot({ path: path.join(resultsDir, 'catalog.png'), fullPage: true });

    const seen = await collect();
    assertClean(seen);
    assert.deepEqual(seen.failedRequests, [], 'failed requests');
    assert.deepEqual(seen.badResponses, [], 'error responses');
    await page.close();
  });

  test('shows the API error message and recovers with Retry', async () => {
    const { page, collect } = await watchedPage(context, origin);
    let calls = 0;
    await page.route('**/api/permissions', async (route) => {
      calls += 1;
      if (calls === 1) {
        await route.fulfill({
          status: 503,
          contentType: 'application/json',
          body: JSON.stringify({ error: { code: 'unavailable', message: 'The catalog is taking a nap. Try again.' } }),
        });
      } else {
        await route.fallback();
      }
    });

    await page.goto(stack.site + '/permissions');
    const alert = page.locator('[data-page="catalog"][data-state="error"] [role="alert"]');
    await alert.waitFor({ timeout: 15_000 });
    assert.match(await alert.textContent(), /The catalog is taking a nap\. Try again\./);
    assert.match(await alert.textContent(), /unavailable/);
    await page.screenshot({ path: path.join(resultsDir, 'catalog-error.png'), fullPage: true });

    await page.getByRole('button', { name: 'Retry' }).click();
    await page.waitForSelector('[data-page="catalog"][data-state="ready"]', { timeout: 15_000 });
    assert.equal(calls, 2);
    assert.equal(await page.locator('.areas > [data-area]').count(), catalog.areas.length);

    // Chromium logs the refused fetch itself as a console error.
    assertClean(await collect(), { allowConsole: [/status of 503/] });
    await page.close();
  });

  test('non-JSON answers and network failures become readable errors', async () => {
    const { page, collect } = await watchedPage(context, origin);
    let calls = 0;
    await page.route('**/api/permissions', async (route) => {
      calls += 1;
      if (calls === 1) {
        await route.fulfill({ status: 502, contentType: 'text/html', body: '<html><body>Bad gateway</body></html>' });
      } else {
        await route.abort('connectionrefused');
      }
    });
    await page.goto(stack.site + '/permissions');
    const alert = page.locator('[data-page="catalog"][data-state="error"] [role="alert"]');
    await alert.waitFor({ timeout: 15_000 });
    const first = await alert.textContent();
    assert.match(first, /The server answered 502/);
    assert.match(first, /http_502/);
    assert.doesNotMatch(first, /Bad gateway<|<html>/, 'markup from the server is never shown');

    await page.getByRole('button', { name: 'Retry' }).click();
    await page.waitForFunction(() => /Could not reach the server/.test(document.querySelector('[role="alert"]')?.textContent ?? ''));
    assert.match(await alert.textContent(), /network/);
    assertClean(await collect(), { allowConsole: [/status of 502/, /net::ERR_/] });
    await page.close();
  });

  test('the router renders pages in place, with a not-found page and history', async () => {
    const { page, collect } = await watchedPage(context, origin);
    await page.goto(stack.site + '/permissions');
    await page.waitForSelector('[data-page="catalog"][data-state="ready"]', { timeout: 15_000 });
    await page.evaluate(() => {
      window.__sameDocument = true;
      const a = document.createElement('a');
      a.href = '/no-such-page';
      a.id = 'test-link';
      a.textContent = 'elsewhere';
      document.querySelector('.site-footer__inner').append(a);
    });
    await page.click('#test-link');
    await page.waitForSelector('[data-page="not-found"]');
    assert.equal(new URL(page.url()).pathname, '/no-such-page');
    assert.equal(await page.title(), 'Page not found · Roster');
    assert.equal(await page.evaluate(() => window.__sameDocument), true, 'no full page load');
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'main', 'focus moves to the new content');

    await page.goBack();
    await page.waitForSelector('[data-page="catalog"][data-state="ready"]', { timeout: 15_000 });
    assert.equal(await page.evaluate(() => window.__sameDocument), true, 'back stays in the app');
    assert.equal(await page.getAttribute('#site-nav a[href="/permissions"]', 'aria-current'), 'page');

    assertClean(await collect());
    await page.close();
  });

  test('deep links load the app (the host falls back to index.html), keeping the fragment client-side', async () => {
    const { page, collect } = await watchedPage(context, origin);
    const requested = [];
    page.on('request', (req) => requested.push(req.url()));
    // The invitation link has this shape.
    const res = await page.goto(stack.site + '/accept#token=not-a-real-token');
    assert.equal(res.status(), 200);
    // The accept page reads the token from the fragment and sends it only in a request body.
    await page.waitForSelector('[data-page="accept"][data-state="invalid"]', { timeout: 15_000 });
    assert.ok(requested.every((u) => !u.includes('not-a-real-token')), 'the fragment never reaches the server');
    assertClean(await collect(), { allowConsole: [/status of 404/] });
    await page.close();
  });
});

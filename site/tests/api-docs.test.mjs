// Browser test of the API reference (/api-docs) that the site serves, built
// from the OpenAPI document by Redocly's build-docs.
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { after, before, test } from 'node:test';

import { launchBrowser, watchedPage } from './browser.mjs';
import { resultsDir, startStack } from './stack.mjs';

let stack;
let browser;

before(async () => {
  mkdirSync(resultsDir, { recursive: true });
  stack = await startStack();
  browser = await launchBrowser();
}, { timeout: 120_000 });

after(async () => {
  await browser?.close().catch(() => {});
  await stack?.stop();
});

test('the API reference renders every group from the site alone, within its CSP', { timeout: 60_000 }, async () => {
  const origin = new URL(stack.site).origin;
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const { page, problems } = await watchedPage(context, origin);
  // The site's footer links it; the link leaves the site's router.
  await page.goto(`${stack.site}/`);
  await page.getByRole('link', { name: 'API reference' }).click();
  await page.waitForURL(`${stack.site}/api-docs`);
  assert.equal(await page.title(), 'Roster API reference');
  for (const group of ['Sign-in', 'Members', 'Invitations', 'Projects', 'History', 'Host product']) {
    await page.getByRole('link', { name: group, exact: true }).first().waitFor({ timeout: 15_000 });
  }
  await page.getByText('The Origin rule.').waitFor();
  const csp = await page.evaluate(() => window.__csp);
  // Redoc's search probes whether it may build its index worker with
  // Function() (inside a try, falling back to searching in the page); the
  // CSP refuses that probe, as it should. Any other violation fails.
  const searchProbe = /^script-src blocked eval at .*\/api-docs\/script-\d+\.js:\d+$|Refused to evaluate a string as JavaScript because 'unsafe-eval'/;
  assert.deepEqual([...csp, ...problems.cspViolations].filter((v) => !searchProbe.test(v)), [], 'CSP violations');
  assert.deepEqual(problems.foreignRequests, [], 'requests to other hosts');
  assert.deepEqual(problems.pageErrors, [], 'page errors');
  await context.close();
});

// Browser test of projects and transfers (issue 11) against the real local
// stack: an owner of two accounts assigns and unassigns a member's projects
// from the members list, transfers the member with the project they own to
// the other account, and, after giving that project a new owner there,
// transfers the member back without it.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';

import { apiClient } from './api.mjs';
import { launchBrowser, watchedPage } from './browser.mjs';
import { resultsDir, startStack } from './stack.mjs';

const run = randomBytes(4).toString('hex');
const owner = { email: `po-${run}@example.com`, firstName: 'Paula', lastName: 'Owner', password: `owner pass ${run} long enough` };
const dev = { email: `dev-${run}@example.com`, firstName: 'Dev', lastName: 'Eloper', password: `dev pass ${run} long enough` };

let stack;
let api;
let browser;
let context;
let ownerCookie;
let devId;
const acct = {};

const text = (loc) => loc.textContent().then((t) => (t ?? '').replace(/\s+/g, ' ').trim());
const shot = (page, name) => page.screenshot({ path: path.join(resultsDir, `projects-${name}.png`), fullPage: true });

before(async () => {
  mkdirSync(resultsDir, { recursive: true });
  stack = await startStack();
  api = apiClient(stack);
  browser = await launchBrowser();
  ({ cookie: ownerCookie } = await api.signUp(owner));
  for (const [key, name] of [['a', `Alpha ${run}`], ['b', `Beta ${run}`]]) {
    const res = await api.call('POST', '/accounts', { body: { name }, cookie: ownerCookie });
    assert.equal(res.status, 201);
    acct[key] = res.body.id;
  }
  // The developer joins Alpha through an invitation.
  const devSession = await api.signUp(dev);
  devId = devSession.userId;
  const inv = await api.call('POST', `/accounts/${acct.a}/invitations`, {
    body: { email: dev.email, role: 'member', permissions: { all: false, granted: ['projects.view'] } },
    cookie: ownerCookie,
  });
  assert.equal(inv.status, 201, JSON.stringify(inv.body));
  const accept = await api.call('POST', '/invitations/accept', { body: { token: await api.tokenFromMail(dev.email, 'accept') }, cookie: devSession.cookie });
  assert.equal(accept.status, 200, JSON.stringify(accept.body));

  context = await browser.newContext({ viewport: { width: 1360, height: 900 } });
  const [name, value] = ownerCookie.split('=');
  await context.addCookies([{ name, value, url: stack.site }]);
}, { timeout: 180_000 });

after(async () => {
  await context?.close().catch(() => {});
  await browser?.close().catch(() => {});
  await stack?.stop();
});

describe('projects and transfers in the browser', () => {
  test('assign and unassign a project from the members list', async () => {
    const made = await api.call('POST', `/accounts/${acct.a}/projects`, { body: { name: 'Loom', ownerId: (await me()).id }, cookie: ownerCookie });
    assert.equal(made.status, 201);
    const { page } = await watchedPage(context, new URL(stack.site).origin);
    await page.goto(`${stack.site}/accounts/${acct.a}/members`);
    await page.waitForSelector('[data-page="members"][data-state="ready"]', { timeout: 20_000 });
    const count = page.locator(`tr[data-user-id="${devId}"] [data-col="projects"] button`);
    assert.equal(await text(count), '0');
    await count.click();
    const dialog = page.locator('dialog[open]');
    await dialog.getByRole('button', { name: 'Add' }).waitFor({ timeout: 15_000 });
    await dialog.getByLabel('Add to project').selectOption({ label: 'Loom' });
    await dialog.getByRole('button', { name: 'Add' }).click();
    await dialog.locator('[data-project-id]', { hasText: 'Loom' }).waitFor({ timeout: 15_000 });
    await shot(page, 'member-projects');
    await dialog.getByRole('button', { name: 'Close' }).click();
    await page.waitForFunction((id) => document.querySelector(`tr[data-user-id="${id}"] [data-col="projects"] button`)?.textContent === '1', devId, { timeout: 15_000 });
    await count.click();
    await dialog.getByRole('button', { name: `Remove ${dev.firstName} ${dev.lastName} from Loom` }).click();
    await dialog.getByText(`${dev.firstName} ${dev.lastName} is in no project.`).waitFor({ timeout: 15_000 });
    await dialog.getByRole('button', { name: 'Close' }).click();
    await page.waitForFunction((id) => document.querySelector(`tr[data-user-id="${id}"] [data-col="projects"] button`)?.textContent === '0', devId, { timeout: 15_000 });
  });

  test('transfer a member with the project they own', async () => {
    const made = await api.call('POST', `/accounts/${acct.a}/projects`, { body: { name: 'Jacquard', ownerId: devId }, cookie: ownerCookie });
    assert.equal(made.status, 201);
    const { page } = await watchedPage(context, new URL(stack.site).origin);
    await page.goto(`${stack.site}/accounts/${acct.a}/members/${devId}`);
    await page.getByRole('button', { name: 'Transfer to another account' }).click();
    const dialog = page.locator('dialog[open]');
    await dialog.getByLabel('Destination account').waitFor({ timeout: 15_000 });
    assert.match(await text(dialog), /Moving with them: Jacquard/);
    await shot(page, 'transfer');
    await dialog.getByRole('button', { name: 'Transfer' }).click();
    await page.waitForURL((u) => u.pathname === `/accounts/${acct.b}/members/${devId}`, { timeout: 15_000 });
    const there = await api.call('GET', `/accounts/${acct.b}/projects`, { cookie: ownerCookie });
    assert.deepEqual(there.body.items.map((p) => [p.name, p.ownerId, p.memberCount]), [['Jacquard', devId, 1]]);
    const gone = await api.call('GET', `/accounts/${acct.a}/members/${devId}`, { cookie: ownerCookie });
    assert.equal(gone.status, 404, 'no longer a member of Alpha');
  });

  test('transfer back after the project got a new owner: it stays', async () => {
    const there = await api.call('GET', `/accounts/${acct.b}/projects`, { cookie: ownerCookie });
    const p = there.body.items[0];
    const patch = await api.call('PATCH', `/accounts/${acct.b}/projects/${p.id}`, { body: { version: p.version, ownerId: (await me()).id }, cookie: ownerCookie });
    assert.equal(patch.status, 200, JSON.stringify(patch.body));
    const { page } = await watchedPage(context, new URL(stack.site).origin);
    await page.goto(`${stack.site}/accounts/${acct.b}/members/${devId}`);
    await page.getByRole('button', { name: 'Transfer to another account' }).click();
    const dialog = page.locator('dialog[open]');
    await dialog.getByLabel('Destination account').waitFor({ timeout: 15_000 });
    assert.doesNotMatch(await text(dialog), /Moving with them/);
    assert.match(await text(dialog), /Their assignments end to: Jacquard/);
    await dialog.getByRole('button', { name: 'Transfer' }).click();
    await page.waitForURL((u) => u.pathname === `/accounts/${acct.a}/members/${devId}`, { timeout: 15_000 });
    const stays = await api.call('GET', `/accounts/${acct.b}/projects/${p.id}`, { cookie: ownerCookie });
    assert.equal(stays.status, 200);
    assert.equal(stays.body.memberCount, 1, 'only its new owner is left');
  });
});

async function me() {
  const res = await api.call('GET', '/me', { cookie: ownerCookie });
  return res.body;
}

// Browser test of a deployment's own roles (issue 12): the stack runs with
// shared/domain/catalogs/help-pages.json, shaped like the help pages' Admin,
// Manager, Trusted and Viewer. The invite dialog offers those roles with
// what each means, fills in a role's default permissions, never offers
// users.manage or All to a role that may not hold it, explains every
// permission by keyboard and to screen readers, and the members list names
// roles by their labels.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';

import { apiClient } from './api.mjs';
import { launchBrowser, openInviteDialog, seriousViolations, signedInContext, watchedPage } from './browser.mjs';
import { repoRoot, resultsDir, startStack } from './stack.mjs';

const CATALOG = 'shared/domain/catalogs/help-pages.json';
const catalog = JSON.parse(readFileSync(path.join(repoRoot, CATALOG), 'utf8'));
const run = randomBytes(4).toString('hex');
const owner = { email: `roles-owner-${run}@example.com`, firstName: 'Rhea', lastName: 'Owner', password: `roles owner ${run} passphrase` };

let stack;
let api;
let browser;
let context;
let accountId;
let ownerCookie;

const text = (loc) => loc.textContent().then((t) => (t ?? '').replace(/\s+/g, ' ').trim());
const role = (id) => catalog.roles.find((r) => r.id === id);

before(async () => {
  mkdirSync(resultsDir, { recursive: true });
  stack = await startStack({ catalog: CATALOG });
  api = apiClient(stack);
  browser = await launchBrowser();
  ({ cookie: ownerCookie } = await api.signUp(owner));
  const made = await api.call('POST', '/accounts', { body: { name: `Roles ${run}` }, cookie: ownerCookie });
  assert.equal(made.status, 201);
  accountId = made.body.id;
  context = await signedInContext(browser, stack.site, ownerCookie);
}, { timeout: 180_000 });

after(async () => {
  await context?.close().catch(() => {});
  await browser?.close().catch(() => {});
  await stack?.stop();
});

describe('a deployment’s own roles', () => {
  test('the API serves the file’s roles and descriptions, and refuses what a role may not hold', async () => {
    const served = (await api.call('GET', '/permissions')).body;
    assert.deepEqual(served.roles.map((r) => r.id), ['owner', 'admin', 'manager', 'trusted', 'viewer']);
    for (const a of served.areas) for (const p of a.permissions) assert.ok(p.description, `${p.name} has a description`);
    const refused = await api.call('POST', `/accounts/${accountId}/invitations`, {
      body: { email: `x-${run}@example.com`, role: 'viewer', permissions: { all: false, granted: ['users.view', 'users.manage'] } },
      cookie: ownerCookie,
    });
    assert.equal(refused.status, 400);
    assert.equal(refused.body.error.code, 'role_cannot_manage_users');
    const member = await api.call('POST', `/accounts/${accountId}/invitations`, {
      body: { email: `y-${run}@example.com`, role: 'member', permissions: { all: false, granted: [] } },
      cookie: ownerCookie,
    });
    assert.equal(member.status, 400, 'the shipped file’s member role is not one of these');
    assert.equal(member.body.error.code, 'invalid_role');
  });

  test('the invite dialog offers the roles with their meaning and follows them', async () => {
    const { page, collect } = await watchedPage(context, new URL(stack.site).origin);
    const dialog = await openInviteDialog(page, stack.site, accountId);
    const select = dialog.getByLabel('Role', { exact: true });
    const options = await select.locator('option').allTextContents();
    assert.deepEqual(options, ['Admin', 'Manager', 'Trusted', 'Viewer']);
    // The owner holds All: Admin with All is where it starts.
    assert.equal(await select.inputValue(), 'admin');
    assert.equal(await dialog.locator('input[data-mode="all"]').isChecked(), true);

    // Choosing Viewer fills in its defaults; it may not manage members, so
    // neither users.manage nor All can be ticked.
    await select.selectOption('viewer');
    assert.equal(await text(dialog.locator('[data-role-help]')), role('viewer').description);
    const checked = await dialog.locator('input[data-permission]:checked').evaluateAll((els) => els.map((e) => e.value).sort());
    assert.deepEqual(checked, [...role('viewer').permissions.granted].sort());
    assert.equal(await dialog.locator('input[data-permission="users.manage"]').isDisabled(), true);
    assert.equal(await dialog.locator('input[data-mode="all"]').isDisabled(), true);
    assert.ok(await dialog.locator('[data-perm="users.manage"] .perm__role-note').isVisible(), 'says why');

    // Manager may: users.manage can be ticked again.
    await select.selectOption('manager');
    assert.equal(await dialog.locator('input[data-permission="users.manage"]').isDisabled(), false);
    assert.equal(await dialog.locator('input[data-permission="users.manage"]').isChecked(), true, 'the manager defaults include it');

    // Every permission explains itself on keyboard focus and to screen readers.
    const box = dialog.locator('input[data-permission="billing.manage"]');
    await box.focus();
    const describedBy = await box.getAttribute('aria-describedby');
    const help = dialog.locator(`#${describedBy}`);
    assert.ok(await help.isVisible(), 'the help shows on focus');
    const billing = catalog.areas.find((a) => a.id === 'billing').permissions.find((p) => p.name === 'billing.manage');
    assert.equal(await text(help), billing.description);
    const description = await box.evaluate((el) => el.ariaDescription ?? null);
    if (description !== null) assert.equal(description, billing.description);
    for (const v of await seriousViolations(page, 'dialog[open]')) assert.fail(`axe: ${v}`);

    // Trusted, with services.manage: sent, and listed by its label.
    await select.selectOption('trusted');
    const email = `trusted-${run}@example.com`;
    await dialog.getByLabel('Email address').fill(email);
    await dialog.getByRole('button', { name: 'Send invitation' }).click();
    await dialog.waitFor({ state: 'detached', timeout: 15_000 });
    const row = page.locator(`[data-table="invitations"] tr[data-email="${email}"]`);
    await row.waitFor({ timeout: 15_000 });
    assert.match(await text(row), /Trusted/);
    const sent = (await api.call('GET', `/accounts/${accountId}/invitations`, { cookie: ownerCookie })).body.items.find((i) => i.email === email);
    assert.equal(sent.role, 'trusted');
    assert.deepEqual([...sent.permissions.granted].sort(), [...role('trusted').permissions.granted].sort());
    assert.deepEqual((await collect()).badResponses, []);
  });

  test('the members list names the owner’s role by its label', async () => {
    const { page } = await watchedPage(context, new URL(stack.site).origin);
    await page.goto(`${stack.site}/accounts/${accountId}/members`);
    await page.waitForSelector('[data-page="members"][data-state="ready"]', { timeout: 20_000 });
    assert.equal(await text(page.locator('[data-table="members"] tbody tr').first().locator('[data-label="Role"]')), 'Owner');
  });
});

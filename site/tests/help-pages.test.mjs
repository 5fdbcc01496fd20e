// Browser tests of what the help pages promise (issue 12), against the real
// local stack: an admin with limited permissions invites, former members
// are listed and invited again, signing in on the accept page stamps a last
// login, a member without permissions is told plainly, pages fit a phone,
// nothing shifts while the members page loads, the address keeps filters
// and tabs, the account can be renamed, 2FA shows a QR code, a second
// invitation link opened in the same tab shows that invitation, every
// password form states the API's policy, and axe-core finds no serious or
// critical violation on any page visited.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';

import { apiClient } from './api.mjs';
import { launchBrowser, layoutShift, openInviteDialog, seriousViolations, signedInContext, watchedPage } from './browser.mjs';
import { resultsDir, startStack } from './stack.mjs';

const run = randomBytes(4).toString('hex');
const person = (key, first, last) => ({ email: `${key}-${run}@example.com`, firstName: first, lastName: last, password: `${key} passphrase ${run} long` });
const owner = person('owner', 'Olivia', 'Owner');
const lim = person('lim', 'Lim', 'Ited');
const nobody = person('nobody', 'Nora', 'Body');
const gone = person('gone', 'Gwen', 'Gone');
const signer = person('signer', 'Sid', 'Signer');
const accountName = `Help Pages ${run}`;

let stack;
let api;
let browser;
let accountId;
const cookies = {};
const ids = {};
const a11y = [];

const text = (loc) => loc.textContent().then((t) => (t ?? '').replace(/\s+/g, ' ').trim());
const shot = (page, name) => page.screenshot({ path: path.join(resultsDir, `help-${name}.png`), fullPage: true });

/** Checks the page with axe and remembers what it found under `where`. */
async function checkA11y(page, where) {
  for (const v of await seriousViolations(page)) a11y.push(`${where}: ${v}`);
}

function contextOf(who, viewport) {
  return signedInContext(browser, stack.site, who ? cookies[who] : null, viewport);
}

/** Invites someone into the account as the owner and has them accept. */
async function join(who, role, granted) {
  const inv = await api.call('POST', `/accounts/${accountId}/invitations`, {
    body: { email: who.email, role, permissions: { all: false, granted } },
    cookie: cookies.owner,
  });
  assert.equal(inv.status, 201, JSON.stringify(inv.body));
  const accepted = await api.call('POST', '/invitations/accept', { body: { token: await api.tokenFromMail(who.email, 'accept') }, cookie: cookies[key(who)] });
  assert.equal(accepted.status, 200, JSON.stringify(accepted.body));
}
const key = (who) => who.email.split('-')[0];

before(async () => {
  mkdirSync(resultsDir, { recursive: true });
  stack = await startStack();
  api = apiClient(stack);
  browser = await launchBrowser();
  for (const who of [owner, lim, nobody, gone]) {
    const s = await api.signUp(who);
    cookies[key(who)] = s.cookie;
    ids[key(who)] = s.userId;
  }
  const made = await api.call('POST', '/accounts', { body: { name: accountName }, cookie: cookies.owner });
  assert.equal(made.status, 201);
  accountId = made.body.id;
  await join(lim, 'member', ['users.view', 'users.manage', 'services.view']);
  await join(nobody, 'member', []);
  await join(gone, 'member', ['billing.view', 'support.view']);
  const m = await api.call('GET', `/accounts/${accountId}/members/${ids.gone}`, { cookie: cookies.owner });
  const removed = await api.call('DELETE', `/accounts/${accountId}/members/${ids.gone}?version=${m.body.version}`, { cookie: cookies.owner });
  assert.equal(removed.status, 204, JSON.stringify(removed.body));
}, { timeout: 240_000 });

after(async () => {
  await browser?.close().catch(() => {});
  await stack?.stop();
});

describe('what the help pages promise', () => {
  test('an admin holding only users.view, users.manage and services.view invites someone', async () => {
    const context = await contextOf('lim');
    const { page, collect } = await watchedPage(context, new URL(stack.site).origin);
    const dialog = await openInviteDialog(page, stack.site, accountId);

    // The defaults hold nothing she lacks; All is neither default nor offered.
    const mine = ['users.view', 'users.manage', 'services.view'];
    const boxes = await dialog.locator('input[data-permission]').evaluateAll((els) => els.map((e) => ({ name: e.value, checked: e.checked, disabled: e.disabled })));
    for (const b of boxes) {
      if (!mine.includes(b.name)) {
        assert.equal(b.checked, false, `${b.name} is not ticked`);
        assert.equal(b.disabled, true, `${b.name} cannot be ticked`);
      } else {
        assert.equal(b.disabled, false, `${b.name} can be ticked and unticked`);
      }
    }
    assert.equal(await dialog.locator('input[data-mode="all"]').isChecked(), false);
    assert.equal(await dialog.locator('input[data-mode="all"]').isDisabled(), true);
    // Presets offered are only those she can give in full: none of the shipped ones.
    assert.equal(await dialog.locator('[data-preset]').count(), 0, 'no preset she cannot give');
    // Every permission she holds can be ticked and unticked.
    for (const n of mine) {
      const box = dialog.locator(`input[data-permission="${n}"]`);
      await box.check();
      await box.uncheck();
    }
    await dialog.locator('input[data-permission="users.view"]').uncheck();
    await dialog.locator('input[data-permission="services.view"]').check();
    await checkA11y(page, 'invite dialog');
    await shot(page, 'limited-invite');

    const invitee = `limited-invitee-${run}@example.com`;
    await dialog.getByLabel('Email address').fill(invitee);
    await dialog.getByRole('button', { name: 'Send invitation' }).click();
    await dialog.waitFor({ state: 'detached', timeout: 15_000 });
    await page.locator(`[data-table="invitations"] tr[data-email="${invitee}"]`).waitFor({ timeout: 15_000 });
    assert.match(await text(page.locator(`[data-table="invitations"] tr[data-email="${invitee}"]`)), /1 permission in 1 area/);
    const problems = await collect();
    assert.deepEqual(problems.badResponses, [], 'no request was refused');
    await context.close();
  });

  test('the Removed tab lists former members; inviting again fills in their names, role and permissions', async () => {
    const context = await contextOf('owner');
    const { page } = await watchedPage(context, new URL(stack.site).origin);
    await page.goto(`${stack.site}/accounts/${accountId}/members?tab=removed`);
    await page.waitForSelector('[data-page="members"][data-tab="removed"][data-state="ready"]', { timeout: 20_000 });
    const row = page.locator(`[data-table="removed"] tr[data-user-id="${ids.gone}"]`);
    const rowText = await text(row);
    assert.match(rowText, /Gwen Gone/);
    assert.match(rowText, /Removed by\s*Olivia Owner|Olivia Owner/);
    assert.match(rowText, /Member/);
    assert.equal(await page.locator('#member-search').isVisible(), false, 'former members are listed, not searched');
    await checkA11y(page, 'members, removed tab');
    await shot(page, 'removed');

    await row.getByRole('button', { name: 'Invite again: Gwen Gone' }).click();
    const dialog = page.locator('dialog[open]');
    await dialog.waitFor();
    assert.equal(await dialog.getByLabel('Email address').inputValue(), gone.email);
    assert.equal(await dialog.getByLabel('First name (optional)').inputValue(), 'Gwen');
    assert.equal(await dialog.getByLabel('Last name (optional)').inputValue(), 'Gone');
    assert.equal(await dialog.getByLabel('Role', { exact: true }).inputValue(), 'member');
    const checked = await dialog.locator('input[data-permission]:checked').evaluateAll((els) => els.map((e) => e.value).sort());
    assert.deepEqual(checked, ['billing.view', 'support.view']);
    const before = (await api.mailsTo(gone.email)).length;
    await dialog.getByRole('button', { name: 'Send invitation' }).click();
    await dialog.waitFor({ state: 'detached', timeout: 15_000 });

    // Accepting makes a fresh active membership, and the record goes.
    const token = await api.tokenFromMail(gone.email, 'accept', { after: before });
    const accepted = await api.call('POST', '/invitations/accept', { body: { token }, cookie: cookies.gone });
    assert.equal(accepted.status, 200, JSON.stringify(accepted.body));
    const back = await api.call('GET', `/accounts/${accountId}/members/${ids.gone}`, { cookie: cookies.owner });
    assert.equal(back.body.status, 'active');
    assert.equal(back.body.version, 1, 'a fresh membership');
    const removedList = await api.call('GET', `/accounts/${accountId}/members?status=removed`, { cookie: cookies.owner });
    assert.deepEqual(removedList.body.items, []);
    await context.close();
  });

  test('signing in on the accept page shows a last login in the members list and on the member page', async () => {
    const s = await api.signUp(signer);
    cookies.signer = s.cookie;
    ids.signer = s.userId;
    const inv = await api.call('POST', `/accounts/${accountId}/invitations`, {
      body: { email: signer.email, role: 'member', permissions: { all: false, granted: ['services.view'] } },
      cookie: cookies.owner,
    });
    assert.equal(inv.status, 201);
    const token = await api.tokenFromMail(signer.email, 'accept');
    const context = await contextOf(null);
    const { page } = await watchedPage(context, new URL(stack.site).origin);
    await page.goto(`${stack.site}/accept#token=${token}`);
    await page.waitForSelector('[data-page="accept"][data-state="signed-out"]', { timeout: 15_000 });
    await checkA11y(page, 'accept page');
    await page.getByRole('button', { name: 'Sign in' }).click();
    const form = page.locator('form[data-form="sign-in"]');
    await form.getByLabel('Password').fill(signer.password);
    await form.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('button', { name: `Accept and join ${accountName}` }).click();
    await page.waitForSelector('[data-page="accept"][data-state="accepted"]', { timeout: 15_000 });
    await context.close();

    const owners = await contextOf('owner');
    const { page: admin } = await watchedPage(owners, new URL(stack.site).origin);
    await admin.goto(`${stack.site}/accounts/${accountId}/members`);
    await admin.waitForSelector('[data-page="members"][data-state="ready"]', { timeout: 20_000 });
    const row = admin.locator(`[data-table="members"] tr[data-user-id="${ids.signer}"]`);
    assert.notEqual(await text(row.locator('[data-col="last-login"]')), 'Never');
    assert.notEqual(await text(row.locator('[data-col="last-active"]')), 'Never');
    await checkA11y(admin, 'members, active tab');
    await admin.goto(`${stack.site}/accounts/${accountId}/members/${ids.signer}`);
    await admin.waitForSelector('[data-page="member"][data-state="ready"]', { timeout: 20_000 });
    assert.notEqual(await text(admin.locator('[data-fact="last-login"]')), 'Never');
    assert.notEqual(await text(admin.locator('[data-fact="last-active"]')), 'Never');
    await checkA11y(admin, 'member page');
    await owners.close();
  });

  test('a member without permissions is not offered Members or History and reads a plain sentence', async () => {
    const context = await contextOf('nobody');
    const { page, collect } = await watchedPage(context, new URL(stack.site).origin);
    // The signed-in home is their account.
    await page.goto(`${stack.site}/`);
    await page.waitForURL((u) => u.pathname === `/accounts/${accountId}`, { timeout: 15_000 });
    await page.waitForSelector('[data-page="account"][data-state="ready"]', { timeout: 15_000 });
    await page.waitForFunction(() => document.querySelector('.subnav [data-section="members"]')?.hidden === true, null, { timeout: 15_000 });
    for (const section of ['members', 'history', 'projects']) {
      assert.equal(await page.locator(`.subnav [data-section="${section}"]`).isVisible(), false, `${section} is not offered`);
    }
    assert.match(await text(page.locator('[data-not-allowed="sections"]')), /do not include seeing its members/);
    await checkA11y(page, 'account home, no permissions');

    for (const [section, sentence] of [
      ['members', /You do not have permission to see the members/],
      ['history', /You do not have permission to see the history/],
    ]) {
      await page.goto(`${stack.site}/accounts/${accountId}/${section}`);
      const plain = page.locator('[data-not-allowed]');
      await plain.waitFor({ timeout: 15_000 });
      assert.match(await text(plain), sentence);
      assert.equal(await page.locator('[role="alert"]').count(), 0, 'not an error');
      assert.equal(await page.getByRole('button', { name: 'Retry' }).count(), 0, 'nothing to retry');
      assert.equal(await page.getByRole('link', { name: /Export/ }).isVisible().catch(() => false), false, 'no Export');
      await checkA11y(page, `${section}, no permissions`);
    }
    assert.deepEqual((await collect()).pageErrors, []);
    await context.close();
  });

  test('under 640 px the members table is stacked rows with every column readable, inside the screen', async () => {
    const context = await contextOf('owner', { width: 390, height: 844 });
    const { page } = await watchedPage(context, new URL(stack.site).origin);
    await page.goto(`${stack.site}/accounts/${accountId}/members`);
    await page.waitForSelector('[data-page="members"][data-state="ready"]', { timeout: 20_000 });
    const boxes = await page.evaluate(() => {
      const table = document.querySelector('[data-table="members"]');
      const row = table.querySelector('tbody tr');
      const cells = [...row.children].map((c) => {
        const r = c.getBoundingClientRect();
        return { x: Math.round(r.x), width: Math.round(r.width), label: c.dataset.label, shown: getComputedStyle(c, '::before').content };
      });
      return { table: table.getBoundingClientRect().width, page: document.scrollingElement.scrollWidth, viewport: innerWidth, cells };
    });
    assert.ok(boxes.page <= boxes.viewport, `the page is no wider than the screen: ${boxes.page} > ${boxes.viewport}`);
    assert.ok(boxes.table <= boxes.viewport, 'the table fits the screen');
    assert.equal(new Set(boxes.cells.map((c) => c.x)).size, 1, `every cell starts at the same x (stacked): ${JSON.stringify(boxes.cells)}`);
    for (const c of boxes.cells) {
      assert.ok(c.label, 'each cell is named by its column');
      assert.match(c.shown, /\w/, `the column name is shown before ${c.label}`);
    }
    await checkA11y(page, 'members, 390 px');
    await shot(page, 'mobile-members');
    await context.close();
  });

  test('the members page does not shift while it loads (CLS under 0.02), wide and narrow', async () => {
    for (const viewport of [{ width: 1360, height: 900 }, { width: 390, height: 844 }]) {
      const context = await contextOf('owner', viewport);
      const page = await context.newPage();
      await page.goto(`${stack.site}/accounts/${accountId}/members`);
      await page.waitForSelector('[data-page="members"][data-state="ready"]', { timeout: 20_000 });
      await page.waitForTimeout(500);
      const cls = await layoutShift(page);
      assert.ok(cls < 0.02, `CLS at ${viewport.width} px: ${cls.toFixed(4)}`);
      await context.close();
    }
  });

  test('history filters and the member page tab live in the address', async () => {
    const context = await contextOf('owner');
    const { page } = await watchedPage(context, new URL(stack.site).origin);
    await page.goto(`${stack.site}/accounts/${accountId}/history`);
    await page.waitForSelector('[data-history][data-state="ready"]', { timeout: 20_000 });
    await page.locator('[data-filter="period"]').selectOption('1m');
    await page.locator('[data-filter="action"]').selectOption('member.removed');
    await page.waitForFunction(() => new URL(location.href).searchParams.get('action') === 'member.removed');
    assert.equal(new URL(page.url()).searchParams.get('period'), '1m');
    await page.reload();
    await page.waitForSelector('[data-history][data-state="ready"]', { timeout: 20_000 });
    assert.equal(await page.locator('[data-filter="period"]').inputValue(), '1m');
    assert.equal(await page.locator('[data-filter="action"]').inputValue(), 'member.removed');
    await checkA11y(page, 'history');
    await page.goBack();
    await page.waitForFunction(() => new URL(location.href).searchParams.get('action') === null);

    await page.goto(`${stack.site}/accounts/${accountId}/members/${ids.lim}`);
    await page.waitForSelector('[data-page="member"][data-state="ready"]', { timeout: 20_000 });
    await page.getByRole('tab', { name: 'History' }).click();
    await page.waitForFunction(() => new URL(location.href).searchParams.get('tab') === 'history');
    await page.reload();
    await page.waitForSelector('[data-page="member"][data-state="ready"]', { timeout: 20_000 });
    assert.equal(await page.getByRole('tab', { name: 'History' }).getAttribute('aria-selected'), 'true');
    await page.goBack();
    await page.waitForSelector('[data-page="member"][data-state="ready"]', { timeout: 20_000 });
    assert.equal(await page.getByRole('tab', { name: 'Profile and permissions' }).getAttribute('aria-selected'), 'true');
    await context.close();
  });

  test('the account is renamed from its home page', async () => {
    const context = await contextOf('owner');
    const { page } = await watchedPage(context, new URL(stack.site).origin);
    await page.goto(`${stack.site}/accounts/${accountId}`);
    await page.waitForSelector('[data-page="account"][data-state="ready"]', { timeout: 20_000 });
    await checkA11y(page, 'account home');
    const form = page.locator('form[data-form="rename-account"]');
    await form.getByLabel('Account name').fill(`${accountName} Ltd`);
    await form.getByRole('button', { name: 'Rename' }).click();
    await page.locator('#account-title', { hasText: `${accountName} Ltd` }).waitFor({ timeout: 15_000 });
    const got = await api.call('GET', `/accounts/${accountId}`, { cookie: cookies.owner });
    assert.equal(got.body.name, `${accountName} Ltd`);
    // The account menu shows the new name at once; the list of accounts
    // (the memberships' copies) has it once names-sync ran on the stream.
    await page.locator('#account-select option', { hasText: `${accountName} Ltd` }).waitFor({ state: 'attached', timeout: 5_000 });
    const listed = async () => (await api.call('GET', '/accounts', { cookie: cookies.owner })).body.items.find((a) => a.id === accountId)?.name;
    for (let i = 0; i < 60 && (await listed()) !== `${accountName} Ltd`; i++) await new Promise((r) => setTimeout(r, 250));
    assert.equal(await listed(), `${accountName} Ltd`, 'names-sync copied the name onto the memberships');
    // Back to the name the other tests use.
    const back = await api.call('PATCH', `/accounts/${accountId}`, { body: { name: accountName, version: got.body.version }, cookie: cookies.owner });
    assert.equal(back.status, 200);
    await context.close();
  });

  test('two-factor enrolment shows a QR code drawn in the page, beside the key', async () => {
    const context = await contextOf('lim');
    const { page, collect } = await watchedPage(context, new URL(stack.site).origin);
    await page.goto(`${stack.site}/settings`);
    await page.waitForSelector('[data-page="settings"][data-state="ready"]', { timeout: 15_000 });
    const start = page.locator('form[data-form="twofa-start"]');
    await start.getByLabel('Password', { exact: true }).fill(lim.password);
    await start.getByRole('button').first().click();
    await page.waitForSelector('figure.totp-qr[data-qr="ready"] svg', { timeout: 15_000 });
    assert.ok(await page.locator('.totp-secret code').isVisible(), 'the key is shown too');
    await checkA11y(page, 'settings, 2FA enrolment');
    await shot(page, 'twofa-qr');
    const problems = await collect();
    assert.deepEqual(problems.foreignRequests, [], 'drawn locally');
    assert.deepEqual(problems.cspViolations, []);
    await context.close();
  });

  test('a second invitation link opened in the same tab shows that invitation', async () => {
    const first = `first-${run}@example.com`;
    const second = `second-${run}@example.com`;
    for (const [email, role] of [[first, 'member'], [second, 'admin']]) {
      const inv = await api.call('POST', `/accounts/${accountId}/invitations`, { body: { email, role, permissions: { all: false, granted: ['services.view'] } }, cookie: cookies.owner });
      assert.equal(inv.status, 201);
    }
    const t1 = await api.tokenFromMail(first, 'accept');
    const t2 = await api.tokenFromMail(second, 'accept');
    const context = await contextOf(null);
    const { page } = await watchedPage(context, new URL(stack.site).origin);
    await page.goto(`${stack.site}/accept#token=${t1}`);
    await page.waitForSelector('[data-page="accept"][data-state="signed-out"]', { timeout: 15_000 });
    assert.match(await text(page.locator('.accept')), new RegExp(first));
    await page.evaluate(() => (window.__sameDocument = true));
    await page.goto(`${stack.site}/accept#token=${t2}`);
    await page.waitForFunction((email) => document.querySelector('[data-page="accept"][data-state="signed-out"] .accept')?.textContent.includes(email), second, { timeout: 15_000 });
    assert.equal(await page.evaluate(() => window.__sameDocument), true, 'the same tab, without a reload');
    assert.equal(page.url(), `${stack.site}/accept`, 'the token is removed from the address bar');
    await context.close();
  });

  test('every form that sets a password states the API policy', async () => {
    const policy = (await api.call('GET', '/auth/password-policy')).body;
    assert.match(policy.hint, new RegExp(String(policy.minLength)));
    const context = await contextOf(null);
    const { page } = await watchedPage(context, new URL(stack.site).origin);
    await page.goto(`${stack.site}/register`);
    await page.locator('[data-password-hint]').filter({ hasText: policy.hint }).waitFor({ timeout: 15_000 });
    await checkA11y(page, 'register');
    await page.goto(`${stack.site}/sign-in`);
    await page.waitForSelector('[data-page="sign-in"]');
    await checkA11y(page, 'sign-in');
    await page.goto(`${stack.site}/forgot-password`);
    await page.waitForSelector('[data-page="forgot"]', { timeout: 15_000 });
    await checkA11y(page, 'forgot password');
    await page.goto(`${stack.site}/reset#token=not-a-token`);
    await page.locator('[data-password-hint]').filter({ hasText: policy.hint }).first().waitFor({ timeout: 15_000 });
    await checkA11y(page, 'reset password');
    await page.goto(`${stack.site}/permissions`);
    await page.waitForSelector('[data-page="catalog"][data-state="ready"]', { timeout: 15_000 });
    await checkA11y(page, 'permissions catalog');
    await context.close();

    const signed = await contextOf('lim');
    const { page: settings } = await watchedPage(signed, new URL(stack.site).origin);
    await settings.goto(`${stack.site}/settings`);
    await settings.locator('form[data-form="password"] [data-password-hint]').filter({ hasText: policy.hint }).waitFor({ timeout: 15_000 });
    await checkA11y(settings, 'settings');
    await settings.goto(`${stack.site}/accounts/${accountId}/projects`);
    await settings.waitForSelector('[data-page="projects"]', { timeout: 15_000 });
    await settings.waitForFunction(() => document.querySelector('[data-page="projects"]')?.dataset.state !== 'loading', null, { timeout: 15_000 });
    await checkA11y(settings, 'projects');
    await settings.goto(`${stack.site}/accounts/${accountId}/members?tab=pending`);
    await settings.waitForSelector('[data-page="members"][data-tab="pending"][data-state="ready"]', { timeout: 15_000 });
    await checkA11y(settings, 'members, pending tab');
    await settings.goto(`${stack.site}/accounts/${accountId}/members?tab=deactivated`);
    await settings.waitForSelector('[data-page="members"][data-tab="deactivated"][data-state="ready"]', { timeout: 15_000 });
    await checkA11y(settings, 'members, deactivated tab');
    await settings.goto(`${stack.site}/no-such-page`);
    await settings.waitForSelector('[data-page="not-found"]', { timeout: 15_000 });
    await checkA11y(settings, 'not found');
    await settings.goto(`${stack.site}/accounts`);
    await settings.waitForSelector('[data-page="accounts"][data-state="ready"]', { timeout: 15_000 });
    await checkA11y(settings, 'accounts');
    await signed.close();
  });

  test('axe-core finds no serious or critical violation on any page visited', () => {
    assert.deepEqual(a11y, []);
  });
});

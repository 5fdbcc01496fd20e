// Browser test of the admin pages against the real local stack (issues 4, 5
// and 6): an owner set up through the API invites someone through the Invite
// panel; the invitation mail is read from the local SES and its link opened
// in a second browser context, where the invitee registers and accepts; the
// admin then edits the member's permissions, deactivates and reactivates
// them (the member's own browser sees each effect), finds the changes in the
// account's History and in the member's History, and removes the member,
// after which the member's browser is refused for that account.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';

import { apiClient } from './api.mjs';
import { launchBrowser, watchedPage } from './browser.mjs';
import { repoRoot, resultsDir, startStack } from './stack.mjs';

const catalog = JSON.parse(readFileSync(path.join(repoRoot, 'shared/domain/permissions.json'), 'utf8'));
const label = (name) => {
  for (const a of catalog.areas) for (const p of a.permissions) if (p.name === name) return p.label;
  throw new Error(`no permission ${name} in the catalog`);
};
const viewer = catalog.presets.find((p) => p.id === 'viewer');

const run = randomBytes(4).toString('hex');
const owner = { email: `owner-${run}@example.com`, firstName: 'Olivia', lastName: 'Owner', password: `owner pass ${run} long enough` };
const invitee = { email: `Ivan.Invitee+${run}@Example.com`, firstName: 'Ivan', lastName: 'Invitee', password: `invitee pass ${run} long enough` };
const accountName = `Acme ${run}`;

let stack;
let browser;
let origin;
let adminContext;
let memberContext;
let accountId;
let ownerCookie;

const shot = (page, name) => page.screenshot({ path: path.join(resultsDir, `admin-${name}.png`), fullPage: true });

/** Calls the API from Node like a browser of the site would (Origin header, session cookie). */
const call = (...args) => apiClient(stack).call(...args);

function sessionCookieOf(setCookie) {
  const c = setCookie.find((s) => /=[^;]+/.test(s) && !/Max-Age=-1|Max-Age=0\b/i.test(s));
  assert.ok(c, 'the API set a session cookie');
  return c.split(';')[0];
}

/** Waits for a mail to `to` with a `<site>/<pathname>#token=` link newer than `seen` mails; returns the link. */
async function linkFromMail(to, pathname, seen = 0) {
  assert.ok(stack.mail, 'the stack reports its local SES URL (set ROSTER_MAIL_URL with ROSTER_SITE_URL)');
  const re = new RegExp(`https?://[^\\s"'<>]+/${pathname}#token=[A-Za-z0-9_\\-.~%]+`);
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    const res = await fetch(`${stack.mail.replace(/\/+$/, '')}/store`);
    assert.equal(res.status, 200, 'GET <mail>/store');
    const { emails = [] } = await res.json();
    const mine = emails.filter((m) => (m.destination?.to ?? []).some((t) => t.toLowerCase().includes(to.toLowerCase())));
    for (const m of mine.slice(seen).reverse()) {
      const found = re.exec(`${m.body?.text ?? ''}\n${m.body?.html ?? ''}`);
      if (found) return { link: found[0].replace(/&amp;/g, '&'), mail: m, count: mine.length };
    }
    await sleep(200);
  }
  const { emails = [] } = await (await fetch(`${stack.mail.replace(/\/+$/, '')}/store`)).json();
  const seenTo = emails.map((m) => `${(m.destination?.to ?? []).join(',')}: ${m.subject}`).join('; ');
  throw new Error(`no mail to ${to} with a /${pathname}#token= link; the local SES has: ${seenTo}`);
}

function assertClean(problems, { allowConsole = [] } = {}) {
  const unexpected = problems.consoleErrors.filter((m) => !allowConsole.some((re) => re.test(m)));
  assert.deepEqual(unexpected, [], `console errors (error responses: ${problems.badResponses.join(', ')})`);
  assert.deepEqual(problems.pageErrors, [], 'uncaught page errors');
  assert.deepEqual(problems.cspViolations, [], 'CSP violations');
  assert.deepEqual(problems.foreignRequests, [], 'requests to other origins');
}

const text = (loc) => loc.textContent().then((t) => (t ?? '').replace(/\s+/g, ' ').trim());

before(async () => {
  mkdirSync(resultsDir, { recursive: true });
  stack = await startStack();
  origin = new URL(stack.site).origin;
  browser = await launchBrowser();

  // The owner: register, verify from the mail, sign in, create an account.
  const reg = await call('POST', '/auth/register', {
    body: { email: owner.email, firstName: owner.firstName, lastName: owner.lastName, password: owner.password },
  });
  assert.equal(reg.status, 202, `register the owner: ${JSON.stringify(reg.body)}`);
  const { link } = await linkFromMail(owner.email, 'verify');
  const token = new URLSearchParams(new URL(link).hash.slice(1)).get('token');
  const ver = await call('POST', '/auth/verify', { body: { token } });
  assert.equal(ver.status, 200, `verify the owner: ${JSON.stringify(ver.body)}`);
  const login = await call('POST', '/auth/login', { body: { email: owner.email, password: owner.password } });
  assert.equal(login.status, 200, `sign the owner in: ${JSON.stringify(login.body)}`);
  ownerCookie = sessionCookieOf(login.setCookie);
  const acc = await call('POST', '/accounts', { body: { name: accountName }, cookie: ownerCookie });
  assert.equal(acc.status, 201, `create the account: ${JSON.stringify(acc.body)}`);
  accountId = acc.body.id ?? acc.body.account?.id;
  assert.ok(accountId, 'the new account has an id');

  adminContext = await browser.newContext({ viewport: { width: 1360, height: 900 } });
  memberContext = await browser.newContext({ viewport: { width: 1100, height: 900 } });
}, { timeout: 180_000 });

after(async () => {
  await adminContext?.close().catch(() => {});
  await memberContext?.close().catch(() => {});
  await browser?.close().catch(() => {});
  await stack?.stop();
});

describe('admin pages: invite, accept, edit, deactivate, history, remove', () => {
  let admin; // the admin's page (watched)
  let member; // the invitee's page (watched)
  let memberUserId;
  const membersUrl = () => `${stack.site}/accounts/${accountId}/members`;

  test('the admin invites someone through the Invite panel', async () => {
    admin = await watchedPage(adminContext, origin);
    const page = admin.page;
    // Signed out, the members page sends the admin to sign in and back.
    await page.goto(membersUrl());
    await page.waitForURL((u) => u.pathname === '/sign-in', { timeout: 15_000 });
    await page.getByLabel('Email address').fill(owner.email);
    await page.getByLabel('Password').fill(owner.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL((u) => u.pathname === `/accounts/${accountId}/members`, { timeout: 15_000 });
    // The signed-out visit's 401 was expected; start counting afresh.
    assertClean(await admin.collect(), { allowConsole: [/status of 401/] });
    admin.problems.consoleErrors.length = 0;
    await page.waitForSelector('[data-page="members"][data-state="ready"]', { timeout: 20_000 });
    // The owner is listed as the only active member.
    assert.match(await text(page.locator('[data-table="members"] tbody')), new RegExp(owner.email));

    await page.getByRole('button', { name: 'Invite', exact: true }).click();
    const dialog = page.locator('dialog[open]');
    await dialog.waitFor();
    assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('type')), 'email', 'focus starts on the email field');

    // A bad address is refused by the server next to the field.
    await dialog.getByLabel('Email address').fill('not-an-address');
    await dialog.getByRole('button', { name: 'Send invitation' }).click();
    const emailError = dialog.locator('[data-field="email"] .field__error');
    await emailError.waitFor({ state: 'visible' });
    assert.ok((await text(emailError)).length > 0, 'the email error is shown next to the field');

    await dialog.getByLabel('Email address').fill(invitee.email);
    await dialog.getByLabel('First name (optional)').fill(invitee.firstName);
    await dialog.getByLabel('Last name (optional)').fill(invitee.lastName);
    // Presets only pre-fill; manage implies view.
    await dialog.getByRole('button', { name: 'Viewer' }).click();
    for (const n of viewer.permissions.granted) assert.equal(await dialog.locator(`input[data-permission="${n}"]`).isChecked(), true, n);
    await dialog.locator('input[data-permission="billing.view"]').uncheck();
    assert.equal(await dialog.locator('input[data-permission="billing.manage"]').isChecked(), false);
    await dialog.locator('input[data-permission="domains.manage"]').check();
    assert.equal(await dialog.locator('input[data-permission="domains.view"]').isChecked(), true, 'checking manage checks view');
    assert.equal(await dialog.getByLabel('Role', { exact: true }).inputValue(), 'member');
    await shot(page, 'invite-panel');

    await dialog.getByRole('button', { name: 'Send invitation' }).click();
    await dialog.waitFor({ state: 'detached' });
    await page.waitForSelector('[data-page="members"][data-tab="pending"][data-state="ready"]', { timeout: 15_000 });
    const row = page.locator(`[data-table="invitations"] tr[data-email="${invitee.email.toLowerCase()}"]`);
    await row.waitFor();
    // The mail sender sends the queued email; the row shows it without a
    // reload (the page asks again while any email is queued).
    await page.evaluate(() => (window.__sameDocument = true));
    await row.locator('[data-cell="delivery"] [data-delivery="sent"]').waitFor({ timeout: 15_000 });
    assert.equal(await page.evaluate(() => window.__sameDocument), true, 'delivery updated in place');
    const rowText = await text(row);
    assert.match(rowText, /Member/);
    assert.match(rowText, /Domains: view, manage/);
    assert.match(rowText, new RegExp(`${owner.firstName} ${owner.lastName}`));
    assert.equal(await page.locator('[role="tab"][aria-selected="true"]').textContent(), 'Pending');
    await shot(page, 'pending');

    // Inviting the same address again points to Resend.
    await page.getByRole('button', { name: 'Invite', exact: true }).click();
    await dialog.waitFor();
    await dialog.getByLabel('Email address').fill(invitee.email.toUpperCase());
    await dialog.getByRole('button', { name: 'Send invitation' }).click();
    await dialog.locator('[data-action="resend-pending"]').waitFor();
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await dialog.waitFor({ state: 'detached' });
    assert.equal(await page.evaluate(() => document.activeElement?.dataset.action), 'invite', 'focus returns to the Invite button');
    assertClean(await admin.collect(), { allowConsole: [/status of 400/, /status of 409/, /status of 429/] });
  });

  test('pending invitations: edit, resend and revoke (with a confirmation), keyboard tabs', async () => {
    const page = admin.page;
    const other = `pat-${run}@example.com`;
    await page.getByRole('button', { name: 'Invite', exact: true }).click();
    const dialog = page.locator('dialog[open]');
    await dialog.waitFor();
    await dialog.getByLabel('Email address').fill(other);
    await dialog.getByRole('button', { name: 'Send invitation' }).click();
    await dialog.waitFor({ state: 'detached' });
    const row = page.locator(`[data-table="invitations"] tr[data-email="${other}"]`);
    await row.waitFor({ timeout: 15_000 });

    // Edit: role and permissions of the pending invitation.
    await row.getByRole('button', { name: `Edit the invitation to ${other}` }).click();
    await dialog.waitFor();
    // The owner's invitations start from Admin with All; make it Custom.
    assert.equal(await dialog.locator('input[data-mode="all"]').isChecked(), true, 'All by default for an actor with All');
    await dialog.getByLabel('Role', { exact: true }).selectOption('admin');
    await dialog.locator('input[data-mode="custom"]').check();
    await dialog.locator('input[data-permission="billing.manage"]').uncheck();
    await dialog.locator('input[data-permission="users.manage"]').check();
    assert.equal(await dialog.locator('input[data-permission="users.view"]').isChecked(), true);
    await dialog.getByRole('button', { name: 'Save invitation' }).click();
    await dialog.waitFor({ state: 'detached' });
    await page.waitForFunction((email) => {
      const r = document.querySelector(`[data-table="invitations"] tr[data-email="${email}"]`);
      return r && /Admin/.test(r.textContent) && /Account administration: view, manage/.test(r.textContent);
    }, other, { timeout: 15_000 });

    const first = await linkFromMail(other, 'accept');
    // Resend right away: the server's minimum interval refuses it, and the page says so.
    await page.locator(`[data-table="invitations"] tr[data-email="${other}"]`).getByRole('button', { name: `Resend the invitation to ${other}` }).click();
    await page.waitForFunction(() => /wait|again|soon|minute|second/i.test(document.querySelector('[data-page="members"] .notice')?.textContent ?? ''), null, { timeout: 15_000 });
    const refusal = await text(page.locator('[data-page="members"] .notice'));
    assert.doesNotMatch(refusal, /sent again/, `resend refused: ${refusal}`);

    // Revoke, after a confirmation; Cancel first keeps it.
    const revoke = () => page.locator(`[data-table="invitations"] tr[data-email="${other}"]`).getByRole('button', { name: `Revoke the invitation to ${other}` });
    await revoke().click();
    await dialog.waitFor();
    assert.match(await text(dialog), new RegExp(`The link sent to ${other.replace(/[.+]/g, '\\$&')} stops working`));
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    assert.equal(await page.locator(`[data-table="invitations"] tr[data-email="${other}"]`).count(), 1, 'Escape cancels');
    await revoke().click();
    await dialog.waitFor();
    await shot(page, 'revoke-confirm');
    await dialog.getByRole('button', { name: 'Revoke invitation' }).click();
    await dialog.waitFor({ state: 'detached' });
    await page.waitForFunction((email) => !document.querySelector(`[data-table="invitations"] tr[data-email="${email}"]`) && document.querySelector('[data-page="members"]')?.dataset.state === 'ready', other, { timeout: 15_000 });
    // The revoked link no longer previews.
    const gone = await call('POST', '/invitations/preview', { body: { token: new URLSearchParams(new URL(first.link).hash.slice(1)).get('token') } });
    assert.equal(gone.status, 404);

    // Tabs work from the keyboard.
    await page.getByRole('tab', { name: 'Pending' }).focus();
    await page.keyboard.press('ArrowRight');
    await page.waitForSelector('[data-page="members"][data-tab="deactivated"][data-state="ready"]');
    assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('role')), 'tab');
    assert.equal(new URL(page.url()).searchParams.get('tab'), 'deactivated');
    await page.keyboard.press('ArrowLeft');
    await page.waitForSelector('[data-page="members"][data-tab="pending"][data-state="ready"]');
    assertClean(await admin.collect(), { allowConsole: [/status of 400/, /status of 409/, /status of 429/] });
  });

  test('the invitee opens the mailed link in another browser, registers and accepts', async () => {
    const { link, mail } = await linkFromMail(invitee.email, 'accept');
    assert.equal(new URL(link).origin, origin, 'the link points at the site');
    assert.match(`${mail.body?.text ?? ''}`, new RegExp(accountName));
    const token = new URLSearchParams(new URL(link).hash.slice(1)).get('token');

    // Signed in as someone else (the owner): a clear refusal naming the invited address.
    {
      const { page, collect } = await watchedPage(adminContext, origin);
      await page.goto(link);
      await page.waitForSelector('[data-page="accept"][data-state="wrong-account"]', { timeout: 15_000 });
      assert.match(await text(page.locator('[data-refusal="email-mismatch"]')), new RegExp(`This invitation is for ${invitee.email.toLowerCase().replace(/[.+]/g, '\\$&')}`));
      assert.equal(page.url(), `${stack.site}/accept`, 'the token is removed from the address bar');
      await shot(page, 'accept-wrong-account');
      assertClean(await collect());
      await page.close();
    }

    member = await watchedPage(memberContext, origin);
    const page = member.page;
    const urls = [];
    page.on('request', (r) => urls.push(r.url() + ' ' + (r.postData() ?? '')));
    await page.goto(link);
    await page.waitForSelector('[data-page="accept"][data-state="signed-out"]', { timeout: 15_000 });
    assert.equal(page.url(), `${stack.site}/accept`, 'the token is removed from the address bar');
    assert.ok(urls.every((u) => !u.split(' ')[0].includes(token)), 'the token never travels in a URL');
    const summary = await text(page.locator('.accept'));
    assert.match(summary, new RegExp(accountName));
    assert.match(summary, new RegExp(`${owner.firstName} ${owner.lastName}`));
    assert.match(summary, new RegExp(label('domains.manage')));
    assert.doesNotMatch(summary, new RegExp(label('billing.view')));
    await shot(page, 'accept-signed-out');

    await page.getByRole('button', { name: 'Register' }).click();
    const form = page.locator('form[data-form="register"]');
    const email = form.getByLabel('Email address');
    assert.equal(await email.inputValue(), invitee.email.toLowerCase(), 'email pre-filled with the invited address');
    assert.equal(await email.getAttribute('readonly'), '', 'and locked');
    assert.equal(await form.getByLabel('First name').inputValue(), invitee.firstName);
    await form.getByLabel('Password').fill(invitee.password);
    await form.getByRole('button', { name: 'Register' }).click();
    await page.waitForSelector('[data-page="accept"][data-state="ready"]', { timeout: 15_000 });
    assert.equal(await page.evaluate(() => sessionStorage.getItem('roster.invitationToken')), token, 'the token waits in sessionStorage');

    // The link proved the address: no verification mail, and Accept is
    // offered at once; registering accepted nothing by itself.
    const mails = await fetch(`${stack.mail.replace(/\/+$/, '')}/store`).then((r) => r.json());
    const verifyMails = (mails.emails ?? []).filter(
      (m) => (m.destination?.to ?? []).some((t) => t.toLowerCase().includes(invitee.email.toLowerCase())) && /verify#token=/.test(m.body?.text ?? ''),
    );
    assert.equal(verifyMails.length, 0, 'no verification mail to the invited address');
    const before = await page.evaluate(async () => (await fetch('/api/accounts')).json());
    assert.equal(before.items.length, 0, 'registering did not accept');

    await page.getByRole('button', { name: `Accept and join ${accountName}` }).click();
    await page.waitForSelector('[data-page="accept"][data-state="accepted"]', { timeout: 15_000 });
    assert.match(await text(page.locator('.accept--done')), new RegExp(`You joined ${accountName}`));
    assert.equal(await page.evaluate(() => sessionStorage.getItem('roster.invitationToken')), null, 'the token is forgotten');
    memberUserId = await page.evaluate(async () => {
      const r = await fetch('/api/me');
      const b = await r.json();
      return (b.user ?? b).id;
    });
    assert.ok(memberUserId);
    await shot(page, 'accept-done');
    assertClean(await member.collect());
  });

  test('the admin sees the member active, edits permissions and saves', async () => {
    const page = admin.page;
    await page.goto(membersUrl());
    await page.waitForSelector('[data-page="members"][data-tab="active"][data-state="ready"]', { timeout: 15_000 });
    // Search (server side) finds the member by the start of the last name.
    await page.getByLabel('Search members').fill('invi');
    await page.waitForFunction(() => {
      const rows = document.querySelectorAll('[data-table="members"] tbody tr');
      return document.querySelector('[data-page="members"]')?.dataset.state === 'ready' && rows.length === 1;
    }, null, { timeout: 15_000 });
    const row = page.locator(`[data-table="members"] tr[data-user-id="${memberUserId}"]`);
    assert.match(await text(row), /Active/);
    assert.match(await text(row), new RegExp(`${invitee.firstName} ${invitee.lastName}`));
    // Dates are written by the site, not Intl (the browser here is en-US).
    assert.match(await text(row), /(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{1,2}, \d{4}, ([1-9]|1[0-2]):[0-5]\d [AP]M/, 'the last login, in American English');
    await shot(page, 'members-active');

    await row.getByRole('link').click();
    await page.waitForSelector('[data-page="member"][data-state="ready"]', { timeout: 15_000 });
    assert.equal(await page.locator('h1').textContent(), `${invitee.firstName} ${invitee.lastName}`);
    assert.equal(await page.getByLabel('Email address').getAttribute('readonly'), '', 'the email is not editable');
    await page.locator('input[data-permission="billing.manage"]').check();
    assert.equal(await page.locator('input[data-permission="billing.view"]').isChecked(), true);
    await page.locator('input[data-permission="support.view"]').uncheck();
    await page.getByRole('button', { name: 'Save changes' }).click();
    await page.waitForFunction(() => /Saved\./.test(document.querySelector('[data-page="member"] .notice')?.textContent ?? ''), null, { timeout: 15_000 });

    const got = await call('GET', `/accounts/${accountId}/members/${memberUserId}`, { cookie: ownerCookie });
    assert.equal(got.status, 200);
    assert.equal(got.body.permissions.all, false);
    assert.ok(got.body.permissions.granted.includes('billing.manage'));
    assert.ok(got.body.permissions.granted.includes('billing.view'));
    assert.ok(!got.body.permissions.granted.includes('support.view'));
    await shot(page, 'member-saved');

    // A stale version: someone else changes the member meanwhile.
    const other = await call('PATCH', `/accounts/${accountId}/members/${memberUserId}`, {
      cookie: ownerCookie,
      body: { version: got.body.version, firstName: 'Ivo' },
    });
    assert.equal(other.status, 200, `concurrent edit: ${JSON.stringify(other.body)}`);
    await page.getByLabel('Last name').fill('Invitee-Smith');
    await page.getByRole('button', { name: 'Save changes' }).click();
    const conflict = page.locator('[data-conflict="stale_version"]');
    await conflict.waitFor({ timeout: 15_000 });
    assert.match(await text(conflict), /Someone else changed this member/);
    assert.match(await text(conflict), /Ivo Invitee/);
    await shot(page, 'member-stale');
    await conflict.getByRole('button', { name: 'Reload the current version' }).click();
    await page.waitForFunction(() => document.querySelector('h1')?.textContent === 'Ivo Invitee');
    assertClean(await admin.collect(), { allowConsole: [/status of 400/, /status of 409/, /status of 429/] });
  });

  test('deactivate and reactivate, with the member’s browser refused in between', async () => {
    const page = admin.page;
    const memberCanRead = () =>
      member.page.evaluate(async ([acc, me]) => (await fetch(`/api/accounts/${acc}/members/${me}`)).status, [accountId, memberUserId]);
    assert.equal(await memberCanRead(), 200, 'the member can read their own membership');

    await page.getByRole('button', { name: 'Deactivate' }).click();
    const dialog = page.locator('dialog[open]');
    await dialog.waitFor();
    assert.match(await text(dialog), /loses access/);
    assert.match(await text(dialog), new RegExp(accountName));
    assert.equal(await page.evaluate(() => document.activeElement?.dataset.cancel !== undefined), true, 'focus starts on Cancel');
    await shot(page, 'deactivate-confirm');
    await dialog.getByRole('button', { name: 'Deactivate' }).click();
    await page.waitForSelector('[data-page="member"][data-status="deactivated"]', { timeout: 15_000 });
    assert.equal(await page.evaluate(() => document.activeElement?.dataset.action), 'reactivate', 'focus moves to Reactivate');
    assert.equal(await memberCanRead(), 403, 'the deactivated member is refused at once');

    await page.getByRole('button', { name: 'Reactivate' }).click();
    await dialog.waitFor();
    await dialog.getByRole('button', { name: 'Reactivate' }).click();
    await page.waitForSelector('[data-page="member"][data-status="active"]', { timeout: 15_000 });
    assert.equal(await memberCanRead(), 200, 'reactivated: access is back');
    // The refused read above is the only error the member's page may have logged.
    assertClean(await member.collect(), { allowConsole: [/status of 403/] });
    member.problems.consoleErrors.length = 0;
    assertClean(await admin.collect(), { allowConsole: [/status of 400/, /status of 409/, /status of 429/] });
  });

  test('a member without users.manage is not offered actions', async () => {
    const mp = member.page;
    await mp.goto(membersUrl());
    await mp.waitForSelector('[data-page="members"][data-state="ready"]', { timeout: 15_000 });
    assert.equal(await mp.locator('[data-action="invite"]').isVisible(), false, 'no Invite button');
    const ownerRow = mp.locator(`[data-table="members"] tr[data-email="${owner.email}"]`);
    await ownerRow.getByRole('link').click();
    await mp.waitForSelector('[data-page="member"][data-state="ready"]', { timeout: 15_000 });
    for (const a of ['save', 'deactivate', 'remove', 'transfer-ownership']) {
      assert.equal(await mp.locator(`[data-action="${a}"]`).count(), 0, `no ${a}`);
    }
    assert.equal(await mp.locator('input[data-permission]:not([disabled])').count(), 0, 'the permission editor is read-only');
    await shot(mp, 'member-view-only');
    assertClean(await member.collect());
  });

  test('the changes are in the account History and in the member’s History', async () => {
    const page = admin.page;
    const permLine = new RegExp(label('billing.manage'));

    await page.getByRole('tab', { name: 'History' }).click();
    const memberHistory = page.locator('[data-history="member"][data-state="ready"]');
    await memberHistory.waitFor({ timeout: 15_000 });
    const perms = memberHistory.locator('tr[data-action="member.permissions_changed"]');
    assert.equal(await perms.count(), 1);
    assert.match(await text(perms), permLine);
    assert.match(await text(perms), new RegExp(label('support.view')));
    assert.doesNotMatch(await text(perms), /"granted"|[{[]|billing\.manage/, 'named by labels, no raw JSON');
    for (const a of ['member.deactivated', 'member.reactivated', 'invitation.accepted']) {
      assert.ok((await memberHistory.locator(`tr[data-action="${a}"]`).count()) >= 1, `member history has ${a}`);
    }
    await shot(page, 'member-history');

    await page.goto(`${stack.site}/accounts/${accountId}/history`);
    const accountHistory = page.locator('[data-history="account"][data-state="ready"]');
    await accountHistory.waitFor({ timeout: 15_000 });
    assert.match(await text(accountHistory.locator('tr[data-action="member.permissions_changed"]')), permLine);
    assert.ok((await accountHistory.locator('tr[data-action="invitation.created"]').count()) >= 1);
    // Filter by action, then by period.
    await page.getByLabel('Action').selectOption('member.deactivated');
    await page.waitForFunction(() => {
      const v = document.querySelector('[data-history="account"]');
      return v?.dataset.state === 'ready' && [...v.querySelectorAll('tbody tr')].every((r) => r.dataset.action === 'member.deactivated');
    }, null, { timeout: 15_000 });
    assert.equal(await accountHistory.locator('tbody tr').count(), 1);
    await page.getByLabel('Period').selectOption('1w');
    await accountHistory.waitFor({ timeout: 15_000 });
    // The export joins the server's parts into one downloaded file.
    const [download] = await Promise.all([page.waitForEvent('download', { timeout: 15_000 }), page.click('[data-export="csv"]')]);
    assert.equal(download.suggestedFilename(), 'history-1w.csv');
    const exported = readFileSync(await download.path(), 'utf8');
    assert.match(exported, /^time,action,/, 'the CSV header comes first');
    assert.match(exported, /member\.deactivated/);
    assert.doesNotMatch(exported, /member\.permissions_changed/, 'the action filter applies');
    await page.locator('[data-export="csv"]:not([disabled])').waitFor();
    assert.match(await page.locator('.history__export-status').textContent(), /Exported 1 event\./);
    await page.getByLabel('Action').selectOption('');
    await accountHistory.waitFor({ timeout: 15_000 });
    await shot(page, 'account-history');
    assertClean(await admin.collect(), { allowConsole: [/status of 400/, /status of 409/, /status of 429/] });
  });

  test('projects: create, assign (counted in the members list), search, rename, delete', async () => {
    const page = admin.page;
    await page.goto(`${stack.site}/accounts/${accountId}/projects`);
    await page.waitForSelector('[data-page="projects"][data-state="ready"]', { timeout: 15_000 });
    assert.match(await text(page.locator('[data-page="projects"] .empty')), /No projects yet/);

    // Create: the owner is the signed-in admin by default.
    await page.getByRole('button', { name: 'New project' }).click();
    const dialog = page.locator('dialog[open]');
    await dialog.waitFor();
    await dialog.getByRole('button', { name: 'Create project' }).click();
    await dialog.locator('[data-field="name"] .field__error').waitFor({ state: 'visible' });
    await dialog.getByLabel('Name').fill('Analytical Engine');
    await page.waitForFunction(() => (document.querySelector('dialog[open] select')?.options.length ?? 0) >= 2, null, { timeout: 15_000 });
    await dialog.getByRole('button', { name: 'Create project' }).click();
    await dialog.waitFor({ state: 'detached' });
    const row = page.locator('[data-table="projects"] tbody tr', { hasText: 'Analytical Engine' });
    await row.waitFor({ timeout: 15_000 });
    assert.match(await text(row), new RegExp(`${owner.firstName} ${owner.lastName}.*1`));
    const projectId = await row.getAttribute('data-project-id');

    // Assign the member (through the API), then the members list counts it.
    const put = await call('PUT', `/accounts/${accountId}/projects/${projectId}/members/${memberUserId}`, { cookie: ownerCookie });
    assert.equal(put.status, 200, `assign: ${JSON.stringify(put.body)}`);
    await page.goto(`${stack.site}/accounts/${accountId}/members`);
    await page.waitForSelector('[data-page="members"][data-state="ready"]', { timeout: 15_000 });
    const count = page.locator(`[data-table="members"] tr[data-user-id="${memberUserId}"] [data-col="projects"]`);
    assert.equal(await text(count), '1');

    // Search by a prefix of the name, then rename and delete.
    await page.goto(`${stack.site}/accounts/${accountId}/projects`);
    await page.waitForSelector('[data-page="projects"][data-state="ready"]', { timeout: 15_000 });
    await page.getByLabel('Search projects').fill('zz');
    await page.waitForFunction(() => /No project is called/.test(document.querySelector('[data-page="projects"] .empty')?.textContent ?? ''), null, { timeout: 15_000 });
    await page.getByLabel('Search projects').fill('analyt');
    await row.waitFor({ timeout: 15_000 });
    assert.match(await text(row), /2/, 'two members now');
    await row.getByRole('button', { name: 'Edit Analytical Engine' }).click();
    await dialog.waitFor();
    await dialog.getByLabel('Name').fill('Difference Engine');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await dialog.waitFor({ state: 'detached' });
    await page.getByLabel('Search projects').fill('');
    const renamed = page.locator('[data-table="projects"] tbody tr', { hasText: 'Difference Engine' });
    await renamed.waitFor({ timeout: 15_000 });
    await shot(page, 'projects');
    await renamed.getByRole('button', { name: 'Delete Difference Engine' }).click();
    await dialog.waitFor();
    assert.match(await text(dialog), /1 other member/);
    await dialog.getByRole('button', { name: 'Delete project' }).click();
    await dialog.waitFor({ state: 'detached' });
    await page.waitForFunction(() => /was deleted/.test(document.querySelector('[data-page="projects"] .notice')?.textContent ?? ''), null, { timeout: 15_000 });
    await page.locator('[data-page="projects"] .empty').waitFor({ timeout: 15_000 });
    const after = await call('GET', `/accounts/${accountId}/members/${memberUserId}`, { cookie: ownerCookie });
    assert.equal(after.body.projectCount, 0, 'the assignment ended with the project');
    assertClean(await admin.collect(), { allowConsole: [/status of 400/, /status of 409/, /status of 429/] });
  });

  test('removing the member: confirmation names member and account; the member’s browser is refused', async () => {
    const page = admin.page;
    await page.goto(`${membersUrl()}/${memberUserId}`);
    await page.waitForSelector('[data-page="member"][data-state="ready"]', { timeout: 15_000 });
    await page.getByRole('button', { name: 'Remove from account' }).click();
    const dialog = page.locator('dialog[open]');
    await dialog.waitFor();
    const says = await text(dialog);
    assert.match(says, /Ivo Invitee/);
    assert.match(says, new RegExp(accountName));
    await shot(page, 'remove-confirm');
    await dialog.getByRole('button', { name: 'Remove' }).click();
    await page.waitForSelector('[data-page="members"][data-state="ready"]', { timeout: 15_000 });
    assert.equal(await page.locator(`tr[data-user-id="${memberUserId}"]`).count(), 0, 'no longer listed');

    // The member's own browser: the account's pages are refused, their login still works.
    const mp = member.page;
    await mp.goto(membersUrl());
    await mp.waitForSelector('[data-page="members"][data-state="error"]', { timeout: 15_000 });
    assert.match(await text(mp.locator('[role="alert"]')), /not a member of this account/);
    await shot(mp, 'member-refused');
    const me = await mp.evaluate(async () => (await fetch('/api/me')).status);
    assert.equal(me, 200, 'their own login survives');
    assertClean(await member.collect(), { allowConsole: [/status of 403/, /status of 404/] });
    assertClean(await admin.collect(), { allowConsole: [/status of 400/, /status of 409/, /status of 429/] });
  });
});

describe('accept page with an existing login', () => {
  test('signing in on the accept page, then Accept', async () => {
    const user = { email: `sam-${run}@example.com`, firstName: 'Sam', lastName: 'Signin', password: `sam pass ${run} long enough` };
    const reg = await call('POST', '/auth/register', { body: user });
    assert.equal(reg.status, 202);
    const v = await linkFromMail(user.email, 'verify');
    assert.equal((await call('POST', '/auth/verify', { body: { token: new URLSearchParams(new URL(v.link).hash.slice(1)).get('token') } })).status, 200);
    const inv = await call('POST', `/accounts/${accountId}/invitations`, {
      cookie: ownerCookie,
      body: { email: user.email, role: 'admin', permissions: { all: false, granted: ['users.view', 'history.view'] } },
    });
    assert.equal(inv.status, 201, JSON.stringify(inv.body));
    const { link } = await linkFromMail(user.email, 'accept');

    const ctx = await browser.newContext();
    const { page, collect } = await watchedPage(ctx, origin);
    await page.goto(link);
    await page.waitForSelector('[data-page="accept"][data-state="signed-out"]', { timeout: 15_000 });
    await page.getByRole('button', { name: 'Sign in' }).click();
    const form = page.locator('form[data-form="sign-in"]');
    assert.equal(await form.getByLabel('Email address').inputValue(), user.email);
    await form.getByLabel('Password').fill('wrong password, surely');
    await form.getByRole('button', { name: 'Sign in' }).click();
    await form.locator('.field__error, [role="alert"]:not([hidden])').first().waitFor({ timeout: 15_000 });
    await form.getByLabel('Password').fill(user.password);
    await form.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForSelector('[data-page="accept"][data-state="ready"]', { timeout: 15_000 });
    assert.equal(await page.evaluate(() => document.activeElement?.dataset.action), 'accept', 'focus moves to Accept');
    await page.keyboard.press('Enter');
    await page.waitForSelector('[data-page="accept"][data-state="accepted"]', { timeout: 15_000 });
    const got = await call('GET', `/accounts/${accountId}/members?status=active&q=sam`, { cookie: ownerCookie });
    assert.equal(got.status, 200);
    assert.equal(got.body.items.length, 1);
    assert.equal(got.body.items[0].role, 'admin');
    assert.deepEqual(got.body.items[0].permissions.granted.sort(), ['history.view', 'users.view']);
    assertClean(await collect(), { allowConsole: [/status of 401/] });
    await ctx.close();
  });
});

describe('accept page without a usable invitation', () => {
  test('an expired invitation says so and who to ask', async () => {
    const ctx = await browser.newContext();
    const { page, collect } = await watchedPage(ctx, origin);
    await page.route('**/api/invitations/preview', (route) =>
      route.fulfill({
        status: 410,
        contentType: 'application/json',
        body: JSON.stringify({ error: { code: 'invitation_expired', message: 'This invitation expired on 1 March 2026. Ask Olivia Owner (olivia@example.com) to send it again.' } }),
      }),
    );
    await page.goto(`${stack.site}/accept#token=${'x'.repeat(43)}`);
    await page.waitForSelector('[data-page="accept"][data-state="expired"]', { timeout: 15_000 });
    const says = await text(page.locator('[role="alert"]'));
    assert.match(says, /This invitation has expired/);
    assert.match(says, /Ask Olivia Owner \(olivia@example.com\)/);
    await shot(page, 'accept-expired');
    assertClean(await collect(), { allowConsole: [/status of 410/] });
    await ctx.close();
  });

  test('a bad token is refused without detail', async () => {
    const ctx = await browser.newContext();
    const { page, collect } = await watchedPage(ctx, origin);
    await page.goto(`${stack.site}/accept#token=not-a-real-token`);
    await page.waitForSelector('[data-page="accept"][data-state="invalid"]', { timeout: 15_000 });
    assert.match(await text(page.locator('[role="alert"]')), /does not work/);
    assertClean(await collect(), { allowConsole: [/status of 404/, /status of 400/] });
    await ctx.close();
  });
});

describe('members list paging and search (API answers stubbed in the browser)', () => {
  test('Next and Previous follow the opaque cursor; the search is sent to the server, debounced', async () => {
    const ctx = await browser.newContext();
    const { page, collect } = await watchedPage(ctx, origin);
    const person = (i) => ({
      userId: `u${i}`, email: `person${i}@example.com`, firstName: 'Person', lastName: String(i), role: 'member',
      permissions: { all: false, granted: ['billing.view'] }, status: 'active', version: 1,
    });
    const listCalls = [];
    await page.route('**/api/**', async (route) => {
      const url = new URL(route.request().url());
      const json = (body, status = 200) => route.fulfill({ status, contentType: 'application/json', body: JSON.stringify(body) });
      // Stubbed answers have the document's shapes (shared/contract/openapi.yaml).
      if (url.pathname === '/api/me') return json({ id: 'u0', email: 'boss@example.com', firstName: 'Boss', lastName: 'Person', emailVerified: true, twoFactorEnabled: false });
      if (url.pathname === '/api/accounts') return json({ items: [{ id: 'acc1', name: 'Stub account', role: 'owner' }] });
      if (url.pathname === '/api/accounts/acc1/members/u0') return json({ ...person(0), role: 'owner', permissions: { all: true, granted: [] } });
      if (url.pathname === '/api/accounts/acc1/members') {
        listCalls.push(url.search);
        const cursor = url.searchParams.get('cursor');
        const q = url.searchParams.get('q');
        if (q) return json({ items: [person(77)] });
        if (!cursor) return json({ items: [1, 2, 3].map(person), next: 'opaque-1' });
        if (cursor === 'opaque-1') return json({ items: [4, 5].map(person) });
        return json({ error: { code: 'invalid_cursor', message: 'bad cursor' } }, 400);
      }
      return route.fallback();
    });
    await page.goto(`${stack.site}/accounts/acc1/members`);
    await page.waitForSelector('[data-page="members"][data-state="ready"]', { timeout: 15_000 });
    const names = () => page.locator('[data-table="members"] tbody th').allTextContents();
    assert.deepEqual(await names(), ['Person 1', 'Person 2', 'Person 3']);
    assert.equal(await page.locator('[data-page="previous"]').isDisabled(), true);
    await page.getByRole('button', { name: 'Next' }).click();
    await page.waitForFunction(() => document.querySelectorAll('[data-table="members"] tbody tr').length === 2);
    assert.deepEqual(await names(), ['Person 4', 'Person 5']);
    assert.equal(await page.locator('[data-page="next"]').isDisabled(), true);
    await page.getByRole('button', { name: 'Previous' }).click();
    await page.waitForFunction(() => document.querySelectorAll('[data-table="members"] tbody tr').length === 3);

    await page.getByLabel('Search members').pressSequentially('per', { delay: 30 });
    await page.waitForFunction(() => document.querySelectorAll('[data-table="members"] tbody tr').length === 1);
    assert.deepEqual(await names(), ['Person 77']);
    assert.equal(new URL(page.url()).searchParams.get('q'), 'per');
    assert.deepEqual(
      listCalls.map((s) => Object.fromEntries(new URLSearchParams(s))),
      [
        { status: 'active', limit: '25' },
        { status: 'active', cursor: 'opaque-1', limit: '25' },
        { status: 'active', limit: '25' },
        { status: 'active', q: 'per', limit: '25' },
      ],
      'one request per page, and one for the whole typed search',
    );
    assertClean(await collect());
    await ctx.close();
  });
});

// Browser test of accounts and sign-in against the real local stack: register
// through the page, follow the verification mail from the local SES, sign
// out and in, enrol TOTP 2FA with codes computed here, sign in with a code
// and with a recovery code, create an account and find it in the switcher.
import assert from 'node:assert/strict';
import { createHmac, randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';

import { launchBrowser, watchedPage } from './browser.mjs';
import { resultsDir, startStack } from './stack.mjs';

// ---- RFC 6238 TOTP (HMAC-SHA1, 30 s, 6 digits), as authenticator apps do it ----

function base32Decode(text) {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = 0;
  let value = 0;
  const out = [];
  for (const c of text.replace(/[\s=]/g, '').toUpperCase()) {
    const i = alphabet.indexOf(c);
    if (i < 0) throw new Error(`not base32: ${c}`);
    value = ((value << 5) | i) & 0xffff;
    bits += 5;
    if (bits >= 8) {
      out.push((value >>> (bits - 8)) & 0xff);
      bits -= 8;
    }
  }
  return Buffer.from(out);
}

function hotp(key, counter, digits = 6) {
  const msg = Buffer.alloc(8);
  msg.writeBigUInt64BE(BigInt(counter));
  const mac = createHmac('sha1', key).update(msg).digest();
  const offset = mac[mac.length - 1] & 0x0f;
  return String((mac.readUInt32BE(offset) & 0x7fffffff) % 10 ** digits).padStart(digits, '0');
}

const step = (ms = Date.now()) => Math.floor(ms / 1000 / 30);
const totp = (secret, ms = Date.now()) => hotp(base32Decode(secret), step(ms));

// ---- the stack ----

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

/** Waits for a mail to `to` whose text has a link to `<site>/<pathname>#token=`; returns the link. */
async function linkFromMail(to, pathname, { after: notBefore = 0 } = {}) {
  assert.ok(stack.mail, 'the stack reports its local SES URL (set ROSTER_MAIL_URL with ROSTER_SITE_URL)');
  const re = new RegExp(`https?://[^\\s"'<>]+/${pathname}#token=[A-Za-z0-9_\\-.~%]+`);
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    const res = await fetch(`${stack.mail.replace(/\/+$/, '')}/store`);
    assert.equal(res.status, 200, 'GET <mail>/store');
    const { emails = [] } = await res.json();
    const mine = emails.filter((m) => (m.destination?.to ?? []).some((t) => t.toLowerCase().includes(to.toLowerCase())));
    for (const m of mine.slice(notBefore).reverse()) {
      const text = `${m.body?.text ?? ''}\n${m.body?.html ?? ''}`;
      const found = re.exec(text);
      if (found) return { link: found[0].replace(/&amp;/g, '&'), subject: m.subject, count: mine.length };
    }
    await sleep(250);
  }
  throw new Error(`no mail to ${to} with a /${pathname}#token= link within 20 s`);
}

async function mailCount(to) {
  const res = await fetch(`${stack.mail.replace(/\/+$/, '')}/store`);
  const { emails = [] } = await res.json();
  return emails.filter((m) => (m.destination?.to ?? []).some((t) => t.toLowerCase().includes(to.toLowerCase()))).length;
}

function assertClean(problems, { allowConsole = [] } = {}) {
  const unexpected = problems.consoleErrors.filter((m) => !allowConsole.some((re) => re.test(m)));
  assert.deepEqual(unexpected, [], 'console errors');
  assert.deepEqual(problems.pageErrors, [], 'uncaught page errors');
  assert.deepEqual(problems.cspViolations, [], 'CSP violations');
  assert.deepEqual(problems.foreignRequests, [], 'requests to other origins');
}

const shot = (page, name) => page.screenshot({ path: path.join(resultsDir, `${name}.png`), fullPage: true });

async function signOut(page) {
  await page.locator('#user-menu').getByRole('button', { name: 'Sign out' }).click();
  await page.waitForSelector('[data-page="sign-in"]', { timeout: 15_000 });
  await page.locator('#user-menu').getByRole('link', { name: 'Sign in' }).waitFor();
}

async function fillSignIn(page, email, password) {
  const form = page.locator('form[data-form="sign-in"]');
  await form.getByLabel('Email address', { exact: true }).fill(email);
  await form.getByLabel('Password', { exact: true }).fill(password);
  await form.getByRole('button', { name: 'Sign in' }).click();
}

/** The accessible error of a field: visible text, aria-invalid, and aria-describedby pointing at it. */
async function fieldError(form, name) {
  const wrap = form.locator(`.field[data-field="${name}"]`);
  const error = wrap.locator('.field__error');
  await error.waitFor({ state: 'visible', timeout: 15_000 });
  const input = wrap.locator('input');
  assert.equal(await input.getAttribute('aria-invalid'), 'true', `${name} is marked invalid`);
  const describedBy = (await input.getAttribute('aria-describedby')) ?? '';
  assert.ok(describedBy.split(' ').includes(await error.getAttribute('id')), `${name} is described by its error`);
  return (await error.textContent()).trim();
}

describe('TOTP helper', () => {
  test('matches the RFC 6238 SHA-1 test vectors', () => {
    const key = Buffer.from('12345678901234567890');
    assert.equal(hotp(key, Math.floor(59 / 30), 8), '94287082');
    assert.equal(hotp(key, Math.floor(1111111109 / 30), 8), '07081804');
    assert.equal(hotp(key, Math.floor(20000000000 / 30), 8), '65353130');
    // "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ" is the same key in base32.
    assert.equal(hotp(base32Decode('GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ'), 1, 8), '94287082');
  });
});

describe('accounts and sign-in', () => {
  const email = `ada.${randomBytes(4).toString('hex')}@example.com`;
  const password = `correct horse ${randomBytes(3).toString('hex')} staple`;
  let secret = '';
  let enrolStep = 0;
  let recoveryCodes = [];
  let newPassword = '';

  test('register, follow the verification mail, sign out and in, enrol 2FA, sign in with a code', async () => {
    const { page, collect } = await watchedPage(context, origin);
    const urls = [];
    page.on('request', (req) => urls.push(req.url()));

    // Register through the page.
    await page.goto(stack.site + '/register');
    const reg = page.locator('form[data-form="register"]');
    await reg.getByLabel('Email address', { exact: true }).fill(email);
    await reg.getByLabel('First name', { exact: true }).fill('Ada');
    await reg.getByLabel('Last name', { exact: true }).fill('Lovelace');
    await reg.getByLabel('Password', { exact: true }).fill(password);
    const mailsBefore = await mailCount(email);
    await reg.getByRole('button', { name: 'Create login' }).click();
    await page.waitForSelector('[data-page="register"][data-state="registered"]', { timeout: 15_000 });
    assert.match(await page.textContent('[data-page="register"]'), new RegExp(`sent a message to ${email.replace(/\./g, '\\.')}`));
    // Not signed in: registering answers the same for a taken address, so
    // it signs nobody in; the link confirms the address, then one signs in.
    await page.locator('#user-menu').getByRole('link', { name: 'Sign in' }).waitFor();
    await shot(page, 'auth-registered');

    // The verification mail, from the local SES, links to <site>/verify#token=.
    const { link } = await linkFromMail(email, 'verify', { after: mailsBefore });
    const url = new URL(link);
    assert.equal(url.origin, origin, 'the mailed link points at this site');
    const token = new URLSearchParams(url.hash.slice(1)).get('token');
    assert.ok(token && token.length >= 32, 'the link carries a token in its fragment');

    await page.goto(link);
    await page.waitForSelector('[data-page="verify"][data-state="ready"]', { timeout: 15_000 });
    assert.match(await page.textContent('[data-page="verify"]'), /confirmed/);
    assert.equal(new URL(page.url()).hash, '', 'the token is cleared from the address bar');
    assert.equal(new URL(page.url()).pathname, '/verify');
    assert.ok(urls.every((u) => !u.includes(token)), 'the token never travels in a URL');
    await shot(page, 'auth-verified');

    // Sign in from there, with a wrong password first: the error is shown
    // at the password field.
    await page.locator('[data-page="verify"]').getByRole('link', { name: 'Sign in' }).click();
    await fillSignIn(page, email, 'not the password at all');
    const signInForm = page.locator('form[data-form="sign-in"]');
    const msg = await fieldError(signInForm, 'password');
    assert.match(msg, /email address or the password/i);
    assert.equal(new URL(page.url()).pathname, '/sign-in');
    await shot(page, 'auth-wrong-password');

    // ?next= to another host is ignored; a same-origin path is followed.
    await page.goto(stack.site + '/sign-in?next=' + encodeURIComponent('//evil.example/steal'));
    await fillSignIn(page, email, password);
    await page.waitForURL((u) => u.pathname === '/accounts', { timeout: 15_000 });
    await signOut(page);

    await page.goto(stack.site + '/sign-in?next=' + encodeURIComponent('/settings'));
    await fillSignIn(page, email, password);
    await page.waitForSelector('[data-page="settings"][data-state="ready"]', { timeout: 15_000 });
    assert.equal(new URL(page.url()).pathname, '/settings');

    // Enrol 2FA: password, the secret shown as text, a code computed here, recovery codes.
    const twofa = page.locator('[data-block="twofa-title"]');
    assert.equal(await twofa.getAttribute('data-state'), 'off');
    await twofa.locator('form[data-form="twofa-start"]').getByLabel('Password', { exact: true }).fill(password);
    await twofa.getByRole('button', { name: 'Set up two-factor authentication' }).click();
    const secretEl = twofa.locator('.totp-secret');
    await secretEl.waitFor({ timeout: 15_000 });
    secret = await secretEl.getAttribute('data-secret');
    assert.match(secret, /^[A-Z2-7]{16,}=*$/, 'a base32 secret');
    assert.equal((await secretEl.textContent()).trim(), secret.match(/.{1,4}/g).join(' '), 'shown in groups of four');
    assert.match(await twofa.locator('.totp-url__text').textContent(), /^otpauth:\/\/totp\//);
    await shot(page, 'auth-2fa-enrol');

    const confirm = twofa.locator('form[data-form="twofa-confirm"]');
    await confirm.getByLabel('Code from the app').fill('000000' === totp(secret) ? '111111' : '000000');
    await confirm.getByRole('button', { name: 'Turn on' }).click();
    assert.match(await fieldError(confirm, 'code'), /not right|invalid|wrong/i, 'a wrong code is refused at the field');

    enrolStep = step();
    await confirm.getByLabel('Code from the app').fill(totp(secret));
    await confirm.getByRole('button', { name: 'Turn on' }).click();
    await page.waitForSelector('[data-block="twofa-title"][data-state="recovery"]', { timeout: 15_000 });
    recoveryCodes = (await twofa.locator('.recovery__codes code').allTextContents()).map((c) => c.trim());
    assert.ok(recoveryCodes.length >= 5, `recovery codes shown (${recoveryCodes.length})`);
    await twofa.getByRole('button', { name: 'Copy codes' }).click();
    await twofa.locator('.recovery__status').filter({ hasText: /Copied|selected/ }).waitFor();
    await shot(page, 'auth-2fa-recovery');
    await twofa.getByRole('button', { name: 'I have saved them' }).click();
    await page.waitForSelector('[data-block="twofa-title"][data-state="on"]');
    assert.equal(await twofa.locator('.recovery__codes').count(), 0, 'recovery codes are shown once');

    // Sign out; sign in again: the code step appears, a wrong code is refused, a fresh code works.
    await signOut(page);
    await fillSignIn(page, email, password);
    await page.waitForSelector('[data-page="sign-in"][data-step="code"]', { timeout: 15_000 });
    const codeForm = page.locator('form[data-form="sign-in-code"]');
    assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('name')), 'code', 'focus moves to the code');
    await shot(page, 'auth-code-step');
    await codeForm.getByLabel('Authentication code').fill(totp(secret, Date.now() + 10 * 60_000));
    await codeForm.getByRole('button', { name: 'Verify' }).click();
    assert.match(await fieldError(codeForm, 'code'), /not right/i);

    // A fresh code: from a time step after the one used to enrol.
    while (step() <= enrolStep) await sleep(500);
    await codeForm.getByLabel('Authentication code').fill(totp(secret));
    await page.keyboard.press('Enter'); // the keyboard submits the focused form
    await page.waitForURL((u) => u.pathname === '/accounts', { timeout: 15_000 });
    await page.locator('#user-menu .user-menu__name').getByText('Ada Lovelace').waitFor();

    assertClean(await collect(), { allowConsole: [/status of 40[01]/] });
    await page.close();
  });

  test('sign in with a recovery code, create an account and switch to it', async () => {
    assert.ok(recoveryCodes.length, 'the previous test enrolled 2FA');
    const { page, collect } = await watchedPage(context, origin);
    await page.goto(stack.site + '/accounts');
    await page.waitForSelector('[data-page="accounts"][data-state="ready"]', { timeout: 15_000 });
    await signOut(page);

    // The code step takes a recovery code too (once).
    await fillSignIn(page, email, password);
    await page.waitForSelector('[data-page="sign-in"][data-step="code"]', { timeout: 15_000 });
    const codeForm = page.locator('form[data-form="sign-in-code"]');
    await codeForm.getByLabel('Authentication code').fill(recoveryCodes[0].toUpperCase());
    await codeForm.getByRole('button', { name: 'Verify' }).click();
    await page.waitForSelector('[data-page="accounts"][data-state="ready"]', { timeout: 15_000 });

    // Create an account: it is in the header's switcher, current, with the owner role.
    const name = `Analytical Engines ${randomBytes(2).toString('hex')}`;
    await page.getByRole('link', { name: 'Create an account' }).first().click();
    const create = page.locator('form[data-form="account-create"]');
    await create.waitFor({ timeout: 15_000 });
    await create.getByRole('button', { name: 'Create account' }).click();
    assert.match(await fieldError(create, 'name'), /enter/i, 'an empty name is refused before any request');
    await create.getByLabel('Account name').fill(name);
    await create.getByRole('button', { name: 'Create account' }).click();
    await page.locator('[data-page="account-new"] .alert--ok').waitFor({ timeout: 15_000 });

    const switcher = page.locator('#account-switcher');
    const select = switcher.getByLabel('Account', { exact: true });
    await select.waitFor();
    const options = await select.locator('option').allTextContents();
    assert.ok(options.includes(`${name} (owner)`), `the switcher lists the new account with its role: ${options.join(', ')}`);
    const selectedText = await select.evaluate((el) => el.selectedOptions[0]?.textContent);
    assert.equal(selectedText, `${name} (owner)`, 'the new account is the current one');
    const id = await select.inputValue();
    assert.equal(await page.evaluate(() => localStorage.getItem('roster.account')), id, 'remembered for the next visit');

    // A second account; switching with the select changes the current account.
    const second = `Difference Engines ${randomBytes(2).toString('hex')}`;
    await page.goto(stack.site + '/accounts/new');
    await create.getByLabel('Account name').fill(second);
    await create.getByRole('button', { name: 'Create account' }).click();
    await page.locator('[data-page="account-new"] .alert--ok').waitFor({ timeout: 15_000 });
    await page.goto(stack.site + '/accounts');
    await page.waitForSelector('[data-page="accounts"][data-state="ready"]', { timeout: 15_000 });
    await select.selectOption({ label: `${name} (owner)` });
    await page.locator(`[data-page="accounts"][data-state="ready"] tr[data-account="${id}"][aria-current="true"]`).waitFor({ timeout: 15_000 });
    assert.equal(await page.evaluate(() => localStorage.getItem('roster.account')), id);
    const rows = await page.locator('[data-page="accounts"] tbody tr').count();
    assert.equal(rows, 2);
    await shot(page, 'auth-accounts');

    // After a reload the choice stays.
    await page.reload();
    await page.waitForSelector('[data-page="accounts"][data-state="ready"]', { timeout: 15_000 });
    await page.waitForFunction((want) => document.querySelector('#account-select')?.value === want, id);

    assertClean(await collect(), { allowConsole: [/status of 40[01]/] });
    await page.close();
  });

  test('an unconfirmed login lands on its settings, may ask for a new link, and makes no account calls', async () => {
    const { page, collect, problems } = await watchedPage(context, origin);
    const other = `charles.${randomBytes(4).toString('hex')}@example.com`;
    await page.goto(stack.site + '/register');
    const reg = page.locator('form[data-form="register"]');
    await reg.getByRole('button', { name: 'Create login' }).click();
    assert.match(await fieldError(reg, 'email'), /enter/i, 'empty required fields are flagged without a request');
    await reg.getByLabel('Email address', { exact: true }).fill(other);
    await reg.getByLabel('First name', { exact: true }).fill('Charles');
    await reg.getByLabel('Last name', { exact: true }).fill('Babbage');
    await reg.getByLabel('Password', { exact: true }).fill('password');
    await reg.getByRole('button', { name: 'Create login' }).click();
    assert.match(await fieldError(reg, 'password'), /.+/, 'a common password is refused at its field');
    await reg.getByLabel('Password', { exact: true }).fill(password);
    await reg.getByRole('button', { name: 'Create login' }).click();
    await page.waitForSelector('[data-page="register"][data-state="registered"]', { timeout: 15_000 });
    const first = await linkFromMail(other, 'verify');
    // Signed out, the page can ask for the link again by address.
    const registered = page.locator('[data-page="register"]');
    await registered.getByRole('button', { name: 'Send the link again' }).click();
    await registered.locator('.resend__status').filter({ hasText: 'Sent' }).waitFor({ timeout: 15_000 });
    const again = await linkFromMail(other, 'verify', { after: first.count });
    assert.notEqual(again.link, first.link, 'a new link, by address');

    await page.goto(stack.site + '/sign-in');
    await fillSignIn(page, other, password);
    await page.waitForSelector('[data-page="settings"][data-state="ready"]', { timeout: 15_000 });
    const note = page.locator('[data-block="profile-title"] .alert--info');
    assert.match(await note.textContent(), /Confirm your email address/);
    await note.getByRole('button', { name: 'Send the link again' }).click();
    await note.locator('.resend__status').filter({ hasText: 'Sent' }).waitFor({ timeout: 15_000 });
    const second = await linkFromMail(other, 'verify', { after: again.count });
    assert.notEqual(second.link, again.link, 'a new link');

    await page.locator('#site-nav').getByRole('link', { name: 'Accounts' }).click();
    await page.waitForSelector('[data-page="accounts"][data-state="unverified"]', { timeout: 15_000 });
    assert.ok(!problems.badResponses.some((r) => r.includes('/api/accounts')), 'no account calls before the email is confirmed');

    // The newest link confirms the address.
    await page.goto(second.link);
    await page.waitForSelector('[data-page="verify"][data-state="ready"]', { timeout: 15_000 });
    await page.locator('#user-menu .user-menu__name .badge').waitFor({ state: 'detached' });
    await signOut(page);
    assertClean(await collect(), { allowConsole: [/status of 40[01]/] });
    await page.close();
  });

  test('a 429 says when to try again and keeps the button disabled until then', async () => {
    const { page, collect } = await watchedPage(context, origin);
    // The real limit needs many failed attempts; the answer's shape is the API's (shared/auth/limits.go).
    await page.route('**/api/auth/login', (route) =>
      route.fulfill({
        status: 429,
        headers: { 'Retry-After': '120', 'Content-Type': 'application/json' },
        body: JSON.stringify({ error: { code: 'rate_limited', message: 'Too many attempts. Please wait a little and try again.' } }),
      }),
    );
    await page.goto(stack.site + '/sign-in');
    await fillSignIn(page, email, 'whatever it is');
    const summary = page.locator('form[data-form="sign-in"] .form__summary[role="alert"]');
    await summary.waitFor({ timeout: 15_000 });
    assert.match(await summary.textContent(), /Too many attempts.*try again in 2 minutes \(at \d{1,2}:\d{2}/s);
    assert.equal(await page.locator('form[data-form="sign-in"] button[type="submit"]').isDisabled(), true);
    assert.equal(await page.evaluate(() => document.activeElement?.classList.contains('form__summary')), true, 'focus on the summary');
    await shot(page, 'auth-rate-limited');
    assertClean(await collect(), { allowConsole: [/status of 429/] });
    await page.close();
  });

  test('forgot password: the reset mail sets a new password that signs in', async () => {
    const { page, collect } = await watchedPage(context, origin);
    await page.goto(stack.site + '/forgot-password');
    const before = await mailCount(email);
    const form = page.locator('form[data-form="forgot"]');
    await form.getByLabel('Email address').fill(email);
    await form.getByRole('button', { name: 'Send reset link' }).click();
    await page.locator('[data-page="forgot"] .alert--ok').waitFor({ timeout: 15_000 });

    const { link } = await linkFromMail(email, 'reset', { after: before });
    await page.goto(link);
    await page.waitForSelector('form[data-form="reset"]', { timeout: 15_000 });
    assert.equal(new URL(page.url()).hash, '', 'the token is cleared from the address bar');
    const reset = page.locator('form[data-form="reset"]');
    newPassword = `${password} again`;
    await reset.getByLabel('New password', { exact: true }).fill(newPassword);
    await reset.getByLabel('New password again', { exact: true }).fill(`${newPassword}!`);
    await reset.getByRole('button', { name: 'Set new password' }).click();
    assert.match(await fieldError(reset, 'confirm'), /not the same/);
    await reset.getByLabel('New password again', { exact: true }).fill(newPassword);
    await reset.getByRole('button', { name: 'Set new password' }).click();
    await page.locator('[data-page="reset"] .alert--ok').waitFor({ timeout: 15_000 });

    await page.getByRole('link', { name: 'Sign in' }).first().click();
    await fillSignIn(page, email, newPassword);
    await page.waitForSelector('[data-page="sign-in"][data-step="code"]', { timeout: 15_000 });
    const codeForm = page.locator('form[data-form="sign-in-code"]');
    await codeForm.getByLabel('Authentication code').fill(recoveryCodes[1]);
    await codeForm.getByRole('button', { name: 'Verify' }).click();
    // With an account, signing in lands on it (the signed-in home page).
    await page.waitForSelector('[data-page="account"][data-state="ready"]', { timeout: 15_000 });

    assertClean(await collect(), { allowConsole: [/status of 40[01]/] });
    await page.close();
  });

  test('settings: change the name, the password, and turn 2FA off', async () => {
    assert.ok(newPassword, 'the reset test set a new password');
    const { page, collect } = await watchedPage(context, origin);
    await page.goto(stack.site + '/settings');
    await page.waitForSelector('[data-page="settings"][data-state="ready"]', { timeout: 15_000 });

    const profile = page.locator('form[data-form="profile"]');
    await profile.getByLabel('First name').fill('Augusta Ada');
    await profile.getByRole('button', { name: 'Save name' }).click();
    await profile.locator('.alert--ok').waitFor({ timeout: 15_000 });
    await page.locator('#user-menu .user-menu__name').getByText('Augusta Ada Lovelace').waitFor();

    const pw = page.locator('form[data-form="password"]');
    await pw.getByLabel('Current password').fill('not it at all');
    await pw.getByLabel('New password', { exact: true }).fill(password);
    await pw.getByRole('button', { name: 'Change password' }).click();
    assert.match(await fieldError(pw, 'currentPassword'), /not your current password/);
    await pw.getByLabel('Current password').fill(newPassword);
    await pw.getByRole('button', { name: 'Change password' }).click();
    await pw.locator('.alert--ok').waitFor({ timeout: 15_000 });
    assert.equal(await pw.getByLabel('Current password').inputValue(), '', 'password fields are emptied');

    const twofa = page.locator('[data-block="twofa-title"]');
    assert.equal(await twofa.getAttribute('data-state'), 'on');
    const remove = twofa.locator('form[data-form="twofa-remove"]');
    await remove.getByLabel('Password', { exact: true }).fill(password);
    await remove.getByRole('button', { name: 'Turn off two-factor authentication' }).click();
    await page.waitForSelector('[data-block="twofa-title"][data-state="off"]', { timeout: 15_000 });
    await shot(page, 'auth-settings');

    // Signing in now needs only the (changed) password.
    await signOut(page);
    await fillSignIn(page, email, password);
    // With an account, signing in lands on it (the signed-in home page).
    await page.waitForSelector('[data-page="account"][data-state="ready"]', { timeout: 15_000 });
    assertClean(await collect(), { allowConsole: [/status of 40[01]/] });
    await page.close();
  });
});

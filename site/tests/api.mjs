// Helpers of the browser tests that talk to the API and the local SES from
// Node, as a browser of the site would (Origin header, session cookie).
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';

/** Returns the API client of a started stack. */
export function apiClient(stack) {
  const origin = new URL(stack.site).origin;

  async function call(method, apiPath, { body, cookie } = {}) {
    const headers = { Origin: origin, Accept: 'application/json' };
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    if (cookie) headers.Cookie = cookie;
    const res = await fetch(`${stack.site}/api${apiPath}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    const text = await res.text();
    let json;
    try {
      json = text ? JSON.parse(text) : undefined;
    } catch {
      json = text;
    }
    return { status: res.status, body: json, setCookie: res.headers.getSetCookie?.() ?? [] };
  }

  /** The mails the local SES holds for `to`, oldest first. */
  async function mailsTo(to) {
    const { emails = [] } = await (await fetch(`${stack.mail.replace(/\/+$/, '')}/store`)).json();
    return emails.filter((m) => (m.destination?.to ?? []).some((t) => t.toLowerCase().includes(to.toLowerCase())));
  }

  /**
   * Waits for a mail to `to` with a `<site>/<pathname>#token=` link, among
   * those after the first `after` (mails go out through the outbox, a moment
   * after the request); returns the token.
   */
  async function tokenFromMail(to, pathname, { after = 0 } = {}) {
    const re = new RegExp(`/${pathname}#token=([A-Za-z0-9_\\-]+)`);
    const deadline = Date.now() + 20_000;
    while (Date.now() < deadline) {
      const mine = (await mailsTo(to)).slice(after);
      for (const m of mine.reverse()) {
        const found = re.exec(`${m.body?.text ?? ''}`);
        if (found) return found[1];
      }
      await sleep(200);
    }
    throw new Error(`no /${pathname} link mailed to ${to}`);
  }

  /** Registers, confirms and signs in a person; returns their session cookie and user id. */
  async function signUp(person) {
    const reg = await call('POST', '/auth/register', { body: person });
    assert.equal(reg.status, 202, `register ${person.email}: ${JSON.stringify(reg.body)}`);
    const ver = await call('POST', '/auth/verify', { body: { token: await tokenFromMail(person.email, 'verify') } });
    assert.equal(ver.status, 200, `verify ${person.email}`);
    const login = await call('POST', '/auth/login', { body: { email: person.email, password: person.password } });
    assert.equal(login.status, 200, `sign in ${person.email}`);
    const cookie = login.setCookie.find((s) => /=[^;]+/.test(s) && !/Max-Age=0\b/i.test(s))?.split(';')[0];
    assert.ok(cookie, 'a session cookie');
    return { cookie, userId: login.body.user.id };
  }

  return { call, mailsTo, tokenFromMail, signUp };
}

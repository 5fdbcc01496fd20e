// The host product's side, against the real local stack (gateway, built
// functions, DynamoDB Local, the local SES): a member obtains an access
// token, a verifier checks it with nothing but the published JWKS and
// WebCrypto, and the history events the events publisher would put on
// EventBridge reach its JSON-lines log.
import assert from 'node:assert/strict';
import { randomBytes, webcrypto } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, test } from 'node:test';

import { apiClient } from './api.mjs';
import { repoRoot, startStack } from './stack.mjs';

let stack;
let api;

before(async () => {
  stack = await startStack();
  api = apiClient(stack);
}, { timeout: 120_000 });

after(async () => {
  await stack?.stop();
});

const b64url = (s) => Buffer.from(s, 'base64url');

/** Verifies an ES256 JWT against a JWKS as any host could; returns its claims. */
async function verify(token, jwks) {
  const [h, p, s] = token.split('.');
  const header = JSON.parse(b64url(h).toString());
  assert.equal(header.alg, 'ES256');
  const jwk = jwks.keys.find((k) => k.kid === header.kid);
  assert.ok(jwk, `the JWKS has the token's key ${header.kid}`);
  const key = await webcrypto.subtle.importKey('jwk', { kty: jwk.kty, crv: jwk.crv, x: jwk.x, y: jwk.y }, { name: 'ECDSA', namedCurve: 'P-256' }, false, ['verify']);
  const ok = await webcrypto.subtle.verify({ name: 'ECDSA', hash: 'SHA-256' }, key, b64url(s), Buffer.from(`${h}.${p}`));
  assert.ok(ok, 'the signature verifies');
  return JSON.parse(b64url(p).toString());
}

test('a member gets a token the JWKS verifies, and the history reaches the events log', { timeout: 90_000 }, async () => {
  const run = randomBytes(4).toString('hex');
  const person = { email: `host-${run}@example.com`, firstName: 'Hedy', lastName: 'Lamarr', password: `host pass ${run} long enough` };
  const { cookie, userId } = await api.signUp(person);
  const acc = await api.call('POST', '/accounts', { body: { name: `Host ${run}` }, cookie });
  assert.equal(acc.status, 201, JSON.stringify(acc.body));
  const accountId = acc.body.id;

  const res = await api.call('POST', `/accounts/${accountId}/token`, { cookie });
  assert.equal(res.status, 200, JSON.stringify(res.body));
  assert.equal(res.body.tokenType, 'Bearer');

  const jwksRes = await fetch(`${stack.site}/.well-known/jwks.json`);
  assert.equal(jwksRes.status, 200);
  assert.match(jwksRes.headers.get('cache-control') ?? '', /max-age=300/);
  const jwks = await jwksRes.json();
  const claims = await verify(res.body.token, jwks);
  assert.equal(claims.sub, userId);
  assert.equal(claims.email, person.email);
  assert.equal(claims.account, accountId);
  assert.equal(claims.role, 'owner');
  assert.deepEqual(claims.permissions, ['all']);
  assert.deepEqual([claims.aud].flat(), ['roster']);
  assert.equal(claims.iss, stack.site);
  assert.equal(claims.exp - claims.iat, 300);

  const disco = await (await fetch(`${stack.site}/.well-known/openid-configuration`)).json();
  assert.equal(disco.issuer, stack.site);
  assert.equal(disco.jwks_uri, `${stack.site}/.well-known/jwks.json`);

  // Not for someone who is not a member.
  const stranger = await api.signUp({ ...person, email: `stranger-${run}@example.com` });
  assert.equal((await api.call('POST', `/accounts/${accountId}/token`, { cookie: stranger.cookie })).status, 404);

  // The account's creation, as the events publisher would put it on EventBridge.
  const log = path.join(repoRoot, '.build/events.jsonl');
  const deadline = Date.now() + 20_000;
  let mine = [];
  while (Date.now() < deadline) {
    if (existsSync(log)) {
      mine = readFileSync(log, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l)).filter((e) => e.detail.accountId === accountId);
      if (mine.length) break;
    }
    await sleep(200);
  }
  assert.equal(mine.length, 1, 'one event for the new account');
  assert.equal(mine[0].source, 'roster');
  assert.equal(mine[0]['detail-type'], 'account.created');
  assert.equal(mine[0].detail.actor.userId, userId);
});

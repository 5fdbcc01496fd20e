// make lighthouse: Lighthouse (mobile, its default simulated throttling) on
// the sign-in page and on the members page of an account of 10,000
// members, against the local stack as make dev runs it (no contract
// checks; the site gzip-compressed as CloudFront serves it). It prints one
// table (each page's median of five runs) and fails when a page scores
// under 95 for performance or shifts its layout by 0.02 or more.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import lighthouse from 'lighthouse';
import * as chromeLauncher from 'chrome-launcher';
import { repoRoot, resultsDir, startStack } from '../tests/stack.mjs';

const MEMBERS = Number(process.env.MEMBERS ?? 10000);
const MIN_SCORE = 0.95;
const MAX_CLS = 0.02;
const RUNS = Number(process.env.RUNS ?? 5);

/** Waits (at most 10 minutes) until the machine's CPUs are 85% idle over 3 seconds. */
async function waitIdle() {
  const sample = () => {
    const f = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
    return { idle: f[3] + (f[4] ?? 0), total: f.reduce((a, b) => a + b, 0) };
  };
  const deadline = Date.now() + 600_000;
  while (Date.now() < deadline) {
    const a = sample();
    await new Promise((r) => setTimeout(r, 3000));
    const b = sample();
    const idle = (b.idle - a.idle) / (b.total - a.total);
    if (idle >= 0.85) return;
    console.error(`  waiting for the stack to settle (${Math.round(idle * 100)}% idle)…`);
  }
}

const stack = await startStack({ contract: false });
let chrome;
try {
  const email = `owner-${Date.now()}@lighthouse.example`;
  const password = 'a long enough lighthouse password';
  console.error(`seeding an account of ${MEMBERS} members…`);
  const seeded = JSON.parse(
    execFileSync(path.join(repoRoot, '.build/bin/roster-seed'), ['-dynamodb', stack.dynamodb, '-table', stack.table ?? 'roster', '-members', String(MEMBERS), '-email', email, '-password', password], { encoding: 'utf8' }),
  );
  // The stream pollers and the TTL emulator read every record the seed
  // wrote; measuring while they catch up would measure them.
  await waitIdle();
  const login = await fetch(`${stack.site}/api/auth/login`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Origin: stack.site },
    body: JSON.stringify({ email, password }),
  });
  if (login.status !== 200) throw new Error(`sign-in: ${login.status} ${await login.text()}`);
  const cookie = login.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');

  chrome = await chromeLauncher.launch({
    chromePath: '/usr/bin/chromium',
    chromeFlags: ['--headless=new', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  const pages = [
    { name: 'sign-in', url: `${stack.site}/sign-in`, headers: {} },
    { name: `members (${MEMBERS.toLocaleString('en')})`, url: `${stack.site}/accounts/${seeded.accountId}/members`, headers: { Cookie: cookie } },
  ];
  const rows = [];
  let failed = false;
  mkdirSync(resultsDir, { recursive: true });
  for (const p of pages) {
    // The first run warms the functions (cold starts are not what the page
    // costs); then the median of RUNS runs by performance score, as
    // Lighthouse advises on a machine whose load varies.
    await lighthouse(p.url, { port: chrome.port, output: 'json', logLevel: 'error', onlyCategories: ['performance'], extraHeaders: p.headers });
    const runs = [];
    for (let i = 0; i < RUNS; i++) {
      const { lhr } = await lighthouse(p.url, {
        port: chrome.port,
        output: 'json',
        logLevel: 'error',
        onlyCategories: ['performance', 'accessibility', 'best-practices'],
        extraHeaders: p.headers,
      });
      runs.push(lhr);
    }
    runs.sort((x, y) => x.categories.performance.score - y.categories.performance.score);
    const lhr = runs[Math.floor(runs.length / 2)];
    console.error(`  ${p.name}: ${runs.map((r) => r.categories.performance.score).join(', ')}`);
    writeFileSync(path.join(resultsDir, `lighthouse-${p.name.split(' ')[0]}.json`), JSON.stringify(lhr));
    const a = lhr.audits;
    const score = lhr.categories.performance.score;
    const cls = a['cumulative-layout-shift'].numericValue;
    rows.push([p.name, score, lhr.categories.accessibility.score, lhr.categories['best-practices'].score,
      Math.round(a['first-contentful-paint'].numericValue), Math.round(a['largest-contentful-paint'].numericValue),
      Math.round(a['total-blocking-time'].numericValue), cls.toFixed(3)]);
    if (score < MIN_SCORE || cls >= MAX_CLS) failed = true;
  }
  console.log('| page | performance | accessibility | best practices | FCP ms | LCP ms | TBT ms | CLS |');
  console.log('| --- | --- | --- | --- | --- | --- | --- | --- |');
  for (const r of rows) console.log(`| ${r.join(' | ')} |`);
  if (failed) {
    console.error(`a page scored under ${MIN_SCORE * 100} or shifted by ${MAX_CLS} or more (reports in ${resultsDir})`);
    process.exitCode = 1;
  }
} finally {
  if (chrome) await chrome.kill();
  await stack.stop();
}

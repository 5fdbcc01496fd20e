// Starts the whole local stack (roster-local: gateway + functions + DynamoDB
// Local + local SES) for the browser tests, or uses a running one when
// ROSTER_SITE_URL is set.
import { spawn } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';
import { fileURLToPath } from 'node:url';

export const siteDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const repoRoot = path.resolve(siteDir, '..');
export const resultsDir = path.join(siteDir, 'test-results');

const READY_PREFIX = 'ROSTER_READY ';
const READY_TIMEOUT_MS = 60_000;

/**
 * @param {{catalog?: string, contract?: boolean}} [opts] contract (default true)
 *   holds every exchange to the OpenAPI document; make lighthouse turns it
 *   off to measure the stack as make dev runs it.
 * @returns {Promise<{site: string, mail?: string, dynamodb?: string, stop: () => Promise<void>}>}
 */
export async function startStack(opts = {}) {
  if (process.env.ROSTER_SITE_URL && !opts.catalog) {
    const site = process.env.ROSTER_SITE_URL.replace(/\/+$/, '');
    return { site, mail: process.env.ROSTER_MAIL_URL, stop: async () => {} };
  }

  const bin = path.resolve(repoRoot, process.env.ROSTER_LOCAL_BIN ?? '.build/bin/roster-local');
  if (!existsSync(bin)) {
    throw new Error(`${bin} does not exist: run \`make build\` first (or set ROSTER_LOCAL_BIN or ROSTER_SITE_URL)`);
  }
  mkdirSync(resultsDir, { recursive: true });
  const logPath = path.join(resultsDir, 'roster-local.log');
  const log = createWriteStream(logPath);
  const tail = [];
  const keep = (line) => {
    tail.push(line);
    if (tail.length > 40) tail.shift();
  };

  const args = ['-port', '0', '-dynamodb-port', '0', '-ses-port', '0'];
  if (opts.contract !== false) args.push('-contract');
  // Another deployment's roles and permissions (shared/domain/catalogs).
  if (opts.catalog) args.push('-catalog', path.resolve(repoRoot, opts.catalog));
  const child = spawn(bin, args, {
    cwd: repoRoot,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const killOnExit = () => child.kill('SIGKILL');
  process.on('exit', killOnExit);

  const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  readline.createInterface({ input: child.stderr }).on('line', (line) => {
    log.write(`[stderr] ${line}\n`);
    keep(line);
  });

  const ready = new Promise((resolve, reject) => {
    // Keep reading stdout after readiness so the pipe never fills up.
    readline.createInterface({ input: child.stdout }).on('line', (line) => {
      log.write(line + '\n');
      keep(line);
      if (!line.startsWith(READY_PREFIX)) return;
      try {
        resolve(JSON.parse(line.slice(READY_PREFIX.length)));
      } catch (err) {
        reject(new Error(`bad ROSTER_READY line: ${line} (${err.message})`));
      }
    });
    child.once('error', reject);
    exited.then(({ code, signal }) =>
      reject(new Error(`roster-local exited (code ${code}, signal ${signal}) before it was ready:\n${tail.join('\n')}`)),
    );
  });

  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`roster-local was not ready within ${READY_TIMEOUT_MS / 1000}s:\n${tail.join('\n')}`)),
      READY_TIMEOUT_MS,
    );
  });

  const stop = async () => {
    process.off('exit', killOnExit);
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const forced = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await exited;
      clearTimeout(forced);
    }
    log.end();
  };

  try {
    const urls = await Promise.race([ready, timeout]);
    if (!urls || typeof urls.site !== 'string') throw new Error('ROSTER_READY has no "site" URL');
    return { ...urls, site: urls.site.replace(/\/+$/, ''), stop };
  } catch (err) {
    await stop();
    throw err;
  } finally {
    clearTimeout(timer);
  }
}

// Builds the API reference (/api-docs) from the OpenAPI document with
// Redocly's build-docs, self-contained (--inlineBundle: nothing from other
// hosts), then moves its inline scripts into files of their own so that
// script-src 'self' holds for it too. Redoc sets inline styles and data:
// fonts, so /api-docs gets its own policy (DocsContentSecurityPolicy in
// infra/local/gateway and infra/cdk) that allows those two.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const siteDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const document = path.resolve(siteDir, '../shared/contract/openapi.yaml');
const outDir = path.join(siteDir, 'dist', 'api-docs');
const page = path.join(outDir, 'index.html');

rmSync(outDir, { recursive: true, force: true });
mkdirSync(outDir, { recursive: true });
execFileSync(
  path.join(siteDir, 'node_modules', '.bin', 'redocly'),
  ['build-docs', document, '--inlineBundle', '--title', 'Roster API reference', '-o', page],
  { stdio: ['ignore', 'ignore', 'inherit'] },
);

// The bundle names a logo and icon sets on Redocly's CDN; point them at this
// site (where they are absent) so that the page never reaches another host.
const cdn = /https:\/\/cdn\.redoc(?:\.ly|ly\.com)\//g;
let html = readFileSync(page, 'utf8').replace(cdn, '/api-docs/cdn/');
let n = 0;
// An inline script ends at the first literal </script>: the bundle escapes
// the ones in its strings as <\/script>.
html = html.replace(/<script( type="module")?>([\s\S]*?)<\/script>/g, (_, module, code) => {
  const name = `script-${n++}.js`;
  writeFileSync(path.join(outDir, name), code.replace(cdn, '/api-docs/cdn/'));
  return `<script${module ?? ''} src="/api-docs/${name}"></script>`;
});
if (n === 0 || /<script(?![^>]*\ssrc=)[^>]*>/.test(html)) {
  throw new Error('api-docs: an inline script is left in the page');
}
if (/\ssrc="https?:|<link[^>]+href="https?:/.test(html)) {
  throw new Error('api-docs: the page loads something from another host');
}
writeFileSync(page, html);
console.log(`api-docs: ${path.relative(siteDir, page)} and ${n} scripts`);

import { defineConfig } from 'vite';

// Node's process, without pulling in @types/node for one line.
declare const process: { env: Record<string, string | undefined> };

// The built site is served by CloudFront (or the local gateway) from the same
// origin as /api/*, under a strict CSP: no inline scripts or styles, so the
// build must emit only external, hashed files.
export default defineConfig({
  build: {
    outDir: 'dist',
    target: 'es2022',
    // The polyfill is only for old browsers and would add code to every page.
    modulePreload: { polyfill: false },
    // Never turn small assets into data: URLs inside CSS/JS (img-src allows
    // data:, but keeping assets as files keeps the CSP story simple).
    assetsInlineLimit: 0,
    sourcemap: false,
    reportCompressedSize: true,
    rollupOptions: {
      output: {
        // The list pages' small shared parts travel as one file rather than
        // a request each.
        manualChunks: (id) => (/\/src\/ui\/(table|pager|tabs)\.ts$/.test(id) ? 'lists' : undefined),
      },
    },
  },
  server: {
    // `npm run dev`: the API of a running stack (make dev) behind the dev server.
    proxy: {
      '/api': {
        target: process.env.ROSTER_API_URL ?? 'http://127.0.0.1:3000',
        changeOrigin: false,
      },
    },
  },
});

/**
 * The web app's build: Preact through esbuild's automatic JSX runtime (no plugin needed), every
 * asset bundled and hashed into `web/dist`, nothing fetched from elsewhere, no inline script (the
 * module preload polyfill would be one), so the page runs under Foyer's strict CSP.
 */
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const webDir = fileURLToPath(new URL('.', import.meta.url));

export default defineConfig({
  root: webDir,
  base: '/',
  publicDir: 'public',
  logLevel: 'warn',
  esbuild: { jsx: 'automatic', jsxImportSource: 'preact' },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    assetsDir: 'assets',
    target: 'es2022',
    modulePreload: { polyfill: false },
    // Images stay files (img-src allows data: too, but fonts and others would not).
    assetsInlineLimit: 0,
    reportCompressedSize: false,
  },
});

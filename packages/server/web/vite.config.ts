import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

// The dashboard's build: web/ → dist/public, served by the server at `/` (src/dashboard/static-assets.ts).
// Preact through the automatic JSX runtime; no CDN, no run-time fetches outside this server.
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: '/',
  publicDir: false,
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  build: {
    outDir: fileURLToPath(new URL('../dist/public', import.meta.url)),
    emptyOutDir: true,
    assetsDir: 'assets',
    sourcemap: false,
    target: 'es2022',
  },
  logLevel: 'warn',
});

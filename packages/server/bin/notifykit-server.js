#!/usr/bin/env node
// The `notifykit-server` executable that npm links at install time, before dist/ exists: a committed plain-JS
// launcher, so `npx notifykit-server` finds the local binary on a fresh clone and says how to build when needed.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const entry = new URL('../dist/bin.js', import.meta.url);
if (!existsSync(fileURLToPath(entry))) {
  process.stderr.write('notifykit-server: not built yet: run `npm run build` first (at the repository root)\n');
  process.exit(1);
}
await import(entry.href);

#!/usr/bin/env node
// notifykit-sandbox: the executable (package.json "bin" → dist/bin.js). Everything it does is in
// app/command-line.ts, so this file stays the one entry point and nothing else.

import { runCommandLine } from './app/command-line.js';

await runCommandLine(process.argv);

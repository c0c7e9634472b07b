#!/usr/bin/env node
import { runCommandLine } from './app/command-line.js';

await runCommandLine(process.argv);

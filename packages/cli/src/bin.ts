#!/usr/bin/env node
import { CommanderError } from 'commander';
import { buildProgram } from './program.js';

const program = buildProgram({ env: process.env, out: (line) => process.stdout.write(`${line}\n`) });
try {
  await program.parseAsync(process.argv);
} catch (error) {
  if (error instanceof CommanderError) process.exit(error.exitCode);
  process.stderr.write(`notifykit: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
}

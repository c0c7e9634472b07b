import { expect } from 'vitest';
import { type Comparison, compareWithSandbox, converged } from './ground-truth.js';
import { sleep } from './knobs.js';
import type { ProcessStack } from './process-stack.js';

/**
 * Compares the server's database with the sandbox until they agree or `timeoutMs` passes; returns the
 * last comparison and how long agreement took. Checks are spaced out (each one reads every payout).
 */
export async function awaitConvergence(
  stack: ProcessStack,
  databaseUrl: string,
  keys: string[],
  timeoutMs: number,
): Promise<{ comparison: Comparison; convergeMs: number }> {
  const started = Date.now();
  for (;;) {
    const comparison = await compareWithSandbox(databaseUrl, stack.control, keys);
    if (process.env.NOTIFYKIT_RELIABILITY_DEBUG) console.log(Date.now() - started, JSON.stringify(comparison));
    if (converged(comparison, keys.length) || Date.now() - started > timeoutMs) {
      return { comparison, convergeMs: Date.now() - started };
    }
    await sleep(1000);
  }
}

/** The invariant of every end-to-end scenario, asserted with the differences in the message. */
export function expectExactlyOnce(comparison: Comparison, payouts: number): void {
  const summary = { ...comparison, examples: undefined };
  expect(comparison.lost, `lost events/payouts: ${comparison.examples.join('; ')}`).toBe(0);
  expect(comparison.stagedTwice, `staged twice: ${comparison.examples.join('; ')}`).toBe(0);
  expect(comparison.appliedTwice, `applied twice: ${comparison.examples.join('; ')}`).toBe(0);
  expect(comparison.statusMismatch, `status differs from the sandbox: ${comparison.examples.join('; ')}`).toBe(0);
  expect(comparison.matching, JSON.stringify(summary)).toBe(payouts);
}

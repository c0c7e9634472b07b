import { appendFileSync } from 'node:fs';

/** What every scenario reports (issue 13): counts, and how long the system took to converge. */
export interface Figures {
  sent: number;
  acknowledged: number;
  applied: number;
  lost: number;
  appliedTwice: number;
  convergeMs: number;
  /** Scenario-specific figures (staged twice, drain times, 5xx seen ...). */
  [extra: string]: number | string;
}

/**
 * Prints one scenario's figures as a `[reliability]` line (and appends it as JSON to
 * NOTIFYKIT_RELIABILITY_FIGURES when set, which is how docs/reliability.md's table is filled).
 */
export function reportFigures(scenario: string, figures: Figures): void {
  const line = Object.entries(figures)
    .map(([k, v]) => `${k}=${typeof v === 'number' ? v.toLocaleString('en-US') : v}`)
    .join(' ');
  console.log(`[reliability] ${scenario}: ${line}`);
  const file = process.env.NOTIFYKIT_RELIABILITY_FIGURES;
  if (file) appendFileSync(file, `${JSON.stringify({ scenario, at: new Date().toISOString(), ...figures })}\n`);
}

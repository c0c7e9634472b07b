// The step tracker of `notifykit get`: the happy path's steps, each done (✓), current (●) or to come
// (○), and where a payout left that path (bounced, failed, canceled, expired, returned) said at the end.
import { colourStatus } from '../../output/format.js';
import type { CliIO } from '../../output/io.js';

export const HAPPY_PATH = ['staged', 'notified', 'viewed', 'authenticated', 'claimed', 'funded'] as const;

/** The statuses a payout has been in, from its timeline (and its current status). */
function reached(detail: Record<string, unknown>): Set<string> {
  const seen = new Set<string>([String(detail.status)]);
  for (const t of (detail.timeline as { status_after?: string | null }[] | undefined) ?? []) {
    if (t.status_after) seen.add(t.status_after);
  }
  return seen;
}

export function stepTracker(io: CliIO, detail: Record<string, unknown>): string {
  const status = String(detail.status);
  const seen = reached(detail);
  // Ingo may skip a webhook; a later step reached means the earlier ones happened.
  const furthest = Math.max(-1, ...HAPPY_PATH.map((s, i) => (seen.has(s) ? i : -1)));
  const steps = HAPPY_PATH.map((step, i) => {
    const mark = i < furthest || (i === furthest && step === 'funded') ? '✓' : i === furthest ? '●' : '○';
    return `${mark} ${step}`;
  });
  const offPath =
    (HAPPY_PATH as readonly string[]).includes(status) || status === 'pending' ? '' : `  ✗ ${colourStatus(io, status)}`;
  return `${steps.join(' → ')}${offPath}`;
}

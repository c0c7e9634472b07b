// Statuses as badges: a coloured chip that always carries the status's name in text (colour is never
// the only signal). Colours meet WCAG AA contrast against their background (styles.css).

export const STATUSES = [
  'pending',
  'staged',
  'notified',
  'bounced',
  'viewed',
  'authenticated',
  'claimed',
  'approved',
  'funded',
  'failed',
  'canceled',
  'expired',
  'returned',
] as const;

const TONE: Record<string, string> = {
  pending: 'neutral',
  staged: 'info',
  notified: 'info',
  viewed: 'info',
  authenticated: 'info',
  claimed: 'progress',
  approved: 'progress',
  funded: 'good',
  bounced: 'bad',
  failed: 'bad',
  returned: 'bad',
  canceled: 'muted',
  expired: 'muted',
};

export function StatusBadge({ status }: { status: string }) {
  return <span class={`badge tone-${TONE[status] ?? 'neutral'}`}>{status}</span>;
}

/** The lifecycle's forward steps, for the step tracker and the funnel. */
export const STEPS = ['staged', 'notified', 'viewed', 'authenticated', 'claimed', 'approved', 'funded'] as const;

// Ingo amounts travel as decimal-dollar strings ("250.00"). Everything that compares, sums or stores
// them does so in integer cents, so "250" and "250.00" are the same money and no float ever rounds a payout.

/** The amount format of docs/ingo-contract.md §3: digits, optionally a point and one or two decimals. */
export const AMOUNT_PATTERN = /^(\d+)(?:\.(\d{1,2}))?$/;

/** "250.5" → 25050; undefined when the text is not a non-negative amount with at most 2 decimals. */
export function amountToCents(text: string): number | undefined {
  const m = AMOUNT_PATTERN.exec(text.trim());
  if (!m) return undefined;
  const cents = Number(m[1]) * 100 + Number((m[2] ?? '').padEnd(2, '0'));
  return Number.isSafeInteger(cents) ? cents : undefined;
}

/** 25050 → "250.50"; negative amounts keep their sign. */
export function formatCents(cents: number): string {
  const sign = cents < 0 ? '-' : '';
  const abs = Math.abs(cents);
  return `${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}

// Amounts travel as decimal-dollar strings ("250.00"); the sandbox compares and sums them as integer
// cents so that "250" and "250.00" are the same money and velocity sums never drift.

const AMOUNT_PATTERN = /^(\d+)(?:\.(\d{1,2}))?$/;

/** Integer cents of a decimal-dollar string, or undefined when it is not one. */
export function amountToCents(text: string): number | undefined {
  const m = AMOUNT_PATTERN.exec(text.trim());
  if (!m) return undefined;
  const cents = Number(m[1]) * 100 + Number((m[2] ?? '').padEnd(2, '0'));
  return Number.isSafeInteger(cents) ? cents : undefined;
}

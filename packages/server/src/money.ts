// Ingo amounts are decimal-dollar strings ("250.00"); we keep integer cents and never touch a float.

const AMOUNT = /^(\d{1,8})(?:\.(\d{1,2}))?$/;

/** "250.5" → 25050; undefined when the text is not a non-negative amount with at most 2 decimals. */
export function parseAmountToCents(text: string): number | undefined {
  const match = AMOUNT.exec(text.trim());
  if (!match) return undefined;
  const dollars = Number(match[1]);
  const cents = Number((match[2] ?? '').padEnd(2, '0'));
  return dollars * 100 + cents;
}

/** 25050 → "250.50" */
export function formatCents(cents: number): string {
  const sign = cents < 0 ? '-' : '';
  const abs = Math.abs(cents);
  return `${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}

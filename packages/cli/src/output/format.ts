// How values read in human output: money as dollars with a thousands separator, statuses coloured by
// what they mean (on a terminal only), times as ISO without milliseconds.
import { type CliIO, colourEnabled } from './io.js';

const USD = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD' });

/** `"1234.50"` or 123450 (cents) → `$1,234.50`. */
export function money(amount: string | number | null | undefined, cents = false): string {
  if (amount === null || amount === undefined || amount === '') return '-';
  const value = typeof amount === 'number' ? (cents ? amount / 100 : amount) : Number(amount);
  return Number.isFinite(value) ? USD.format(value) : String(amount);
}

const GREEN = ['funded', 'approved', 'staged', 'ok', 'delivered', 'valid'];
const RED = ['failed', 'bounced', 'returned', 'canceled', 'expired', 'dead', 'invalid', 'error'];
const YELLOW = ['pending', 'notified', 'viewed', 'authenticated', 'claimed', 'retrying'];

export function colourStatus(io: CliIO, status: string | null | undefined): string {
  const text = status ?? '-';
  if (!colourEnabled(io)) return text;
  const code = GREEN.includes(text) ? 32 : RED.includes(text) ? 31 : YELLOW.includes(text) ? 33 : 0;
  return code === 0 ? text : `\u001b[${code}m${text}\u001b[0m`;
}

export function shortTime(iso: string | null | undefined): string {
  return iso ? iso.replace(/\.\d{3}Z$/, 'Z') : '-';
}

export function dash(value: unknown): string {
  return value === null || value === undefined || value === '' ? '-' : String(value);
}

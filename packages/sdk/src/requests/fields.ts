// The field rules the stage, cancel and managed-stage schemas share (docs/ingo-contract.md §3–5). These schemas
// give the SDK its request types, validate requests before they are sent, validate them again on
// arrival in the sandbox (which answers status 600 from the same issues), and feed the OpenAPI
// documents through z.toJSONSchema. They therefore stay plain objects/strings/numbers (no transforms);
// cross-field rules live in superRefine, which toJSONSchema ignores. Every object is loose: Ingo
// documents more optional fields than it names (docs/ingo-contract.md §3), so a field the SDK does not model is
// passed through unchanged, never dropped, while every field it knows is validated.

import { z } from 'zod';
import { AMOUNT_PATTERN } from '../money.js';
import type { ProgramRules } from './program-rules.js';
import { addRuleIssue, ruled } from './validation-issues.js';

/** Languages a notification can be sent in (docs/ingo-contract.md §3). */
export const LANGUAGES = [
  'ar-SA',
  'cs-CZ',
  'da-DK',
  'de-DE',
  'en-GB',
  'en-US',
  'es-ES',
  'es-US',
  'fa-IR',
  'fi-FI',
  'fr-FR',
  'hmn-Latn',
  'it-IT',
  'ja-JP',
  'km-KH',
  'ko-KR',
  'nb-NO',
  'nl-NL',
  'pl-PL',
  'pt-BR',
  'ru-RU',
  'sv-SE',
  'tl-PH',
  'tr-TR',
  'vi-VN',
  'zh-CN',
  'zh-Hans',
  'zh-TW',
] as const;

const PHONE = /^\d{10}$/;
const STATE = /^[A-Za-z]{2}$/;
const ZIP = /^\d{5}(?:-\d{4})?$/;
const EMAIL = z.regexes.email;

/** The same pattern, also accepting "" (optional contact fields are often sent blank). */
function blankOr(pattern: RegExp): RegExp {
  const body = pattern.source.replace(/^\^/, '').replace(/\$$/, '');
  return new RegExp(`^(?:${body})?$`, pattern.flags);
}

const FORMAT = {
  phone: 'must be a US phone number of 10 digits',
  state: 'must be a two-letter state code',
  zip: 'must be 5 digits or ZIP+4 (5 digits, a hyphen, 4 digits)',
  email: 'must be an email address',
  amount: 'must be a decimal dollar amount with at most 2 decimals, like "250.00"',
} as const;

/** The index signature of a request object: fields the SDK does not model pass through as sent. */
export type PassThroughFields = { [field: string]: unknown };

export const text = () => z.string();
export const personName = () => z.string().min(1).max(150);

export function amountString() {
  return z
    .string()
    .max(10)
    .regex(AMOUNT_PATTERN, { error: FORMAT.amount })
    .refine((v) => !AMOUNT_PATTERN.test(v) || Number(v) > 0, ruled('range', 'must be greater than 0'))
    .meta({ description: 'Decimal dollars, > 0, at most 2 decimals, at most 10 characters', examples: ['250.00'] });
}

/** v4's amount: a JSON number of dollars, > 0, whole cents (so 10.005 is refused rather than rounded by Ingo). */
export function amountNumber() {
  return z
    .number()
    .positive()
    .refine((v) => Math.abs(v * 100 - Math.round(v * 100)) < 1e-6, ruled('format', 'must have at most 2 decimals'))
    .meta({ description: 'Dollars as a number, > 0, at most 2 decimals', examples: [125.5] });
}

/** A phone-like field: 10 digits under strict contact rules; `required` rejects a blank value. */
export function phoneField(rules: ProgramRules, required: boolean) {
  if (!rules.strictContact) return required ? text().min(1) : text();
  return text().regex(required ? PHONE : blankOr(PHONE), { error: FORMAT.phone });
}

export function emailField(required: boolean) {
  return text()
    .regex(required ? EMAIL : blankOr(EMAIL), { error: FORMAT.email })
    .meta({ format: 'email' });
}

export function stateField(rules: ProgramRules) {
  return rules.strictContact ? text().regex(blankOr(STATE), { error: FORMAT.state }) : text();
}

export function zipField(rules: ProgramRules) {
  return rules.strictContact ? text().regex(blankOr(ZIP), { error: FORMAT.zip }) : text();
}

/**
 * `authentication_records[]` / v4 `authentication[]` item. Ingo publishes no enum for `validation_type`
 * and `match_failure_type` (their meaning is configured per program), so any positive integer passes;
 * the descriptions give the sandbox's meanings (docs/ingo-contract.md §3 Decision).
 */
export function authenticationRecordSchema() {
  return z.looseObject({
    field_label: text().min(1).meta({ description: 'Prompt shown to the recipient, e.g. "Last 4 SSN"' }),
    field_order: z.int(),
    validation_type: z.int().positive().meta({
      description:
        'Any positive integer; its meaning is configured per program with Ingo. The sandbox: 1 exact match, 2 case-insensitive match, 3 digits-only match',
    }),
    match_failure_type: z.int().positive().meta({
      description:
        'Any positive integer; its meaning is configured per program with Ingo. The sandbox: 1 hard failure (re-prompt, then fail), 2 soft (record and continue); others behave as 1',
    }),
    value_format: text().optional().meta({ description: 'Input mask, e.g. "XXXX" or "MM/DD/YYYY"' }),
    client_provided_value: text()
      .min(1)
      .meta({ description: 'The expected answer. Sensitive: never logged by notifykit.' }),
  });
}

export function notificationRecordSchema() {
  return z.looseObject({
    field_label: text().min(1),
    client_provided_value: text(),
  });
}

type NameForm = { first_name?: unknown; last_name?: unknown; business_name?: unknown };

/** Exactly one of (first_name and last_name) or business_name, never both (docs/ingo-contract.md §3, §4). */
export function checkNameForm(value: unknown, ctx: z.core.$RefinementCtx<unknown>): void {
  if (typeof value !== 'object' || value === null) return;
  const v = value as NameForm;
  const first = v.first_name !== undefined;
  const last = v.last_name !== undefined;
  const business = v.business_name !== undefined;
  if (business && (first || last)) {
    addRuleIssue(
      ctx,
      ['business_name'],
      'one_of',
      'must not be sent together with first_name/last_name: send one or the other',
    );
  } else if (!business && !first && !last) {
    addRuleIssue(ctx, ['first_name'], 'one_of', 'first_name and last_name, or business_name, is required');
  } else if (!business) {
    if (!first) addRuleIssue(ctx, ['first_name'], 'required', 'is required together with last_name');
    if (!last) addRuleIssue(ctx, ['last_name'], 'required', 'is required together with first_name');
  }
}

/** Runs a superRefine even when other checks failed, so every issue is reported at once. */
export const always = { when: () => true } as const;

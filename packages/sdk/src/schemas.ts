// Ingo's wire format, defined once: the zod schemas of ingo-api.md §3–5 give the SDK its request types,
// validate requests before they are sent, validate them again on arrival in the sandbox (which answers
// status 600 from the same issues), and feed the sandbox's OpenAPI document through z.toJSONSchema.
// Request schemas therefore stay plain objects/strings/numbers (no transforms); cross-field rules live
// in superRefine, which toJSONSchema ignores. Responses are parsed by hand, tolerating Ingo's
// string/number drift (§2).

import { z } from 'zod';
import { IngoApiError, ResponseParseError, ValidationError, type ValidationIssue } from './errors.js';
import { AMOUNT_PATTERN } from './money.js';
import { driftNumber, driftString, isJsonObject, type JsonObject } from './type-drift.js';

// --- program rules --------------------------------------------------------------------------------

/** Per-program settings that change which stage fields are required (ingo-api.md §3 Decisions). */
export interface ProgramRules {
  /** The program uses one-time access codes: `authentication_records` optional, `mobile` required. */
  otac: boolean;
  /** `recipient.email` is required. */
  requireEmail: boolean;
  /** Phone numbers are 10 digits, `state` two letters, `zip` 5 digits or ZIP+4. */
  strictContact: boolean;
}

export const DEFAULT_PROGRAM_RULES: Readonly<ProgramRules> = Object.freeze({
  otac: false,
  requireEmail: true,
  strictContact: true,
});

function resolveRules(rules: Partial<ProgramRules> | undefined): ProgramRules {
  return { ...DEFAULT_PROGRAM_RULES, ...rules };
}

/** Builds a schema once per distinct set of program rules: validation runs on every call, building is slow. */
function memoizedByRules<S>(build: (rules: ProgramRules) => S): (rules?: Partial<ProgramRules>) => S {
  const cache = new Map<string, S>();
  return (rules) => {
    const resolved = resolveRules(rules);
    const key = `${resolved.otac}|${resolved.requireEmail}|${resolved.strictContact}`;
    let schema = cache.get(key);
    if (schema === undefined) {
      schema = build(resolved);
      cache.set(key, schema);
    }
    return schema;
  };
}

/** Languages a notification can be sent in (ingo-api.md §3). */
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
export type Language = (typeof LANGUAGES)[number];

// --- issues ---------------------------------------------------------------------------------------

type ZodIssue = z.core.$ZodIssue;

/** Stable rule names used in {@link ValidationIssue.rule}. */
export type ValidationRule =
  | 'required'
  | 'type'
  | 'min_length'
  | 'max_length'
  | 'min_items'
  | 'max_items'
  | 'format'
  | 'enum'
  | 'range'
  | 'one_of'
  | 'count'
  | 'unique'
  | 'unsupported'
  | 'unknown_field'
  | 'invalid';

/** Parameters for a refinement whose issue carries its own rule name and a message we wrote. */
function ruled(rule: ValidationRule, message: string) {
  return { message, params: { rule } };
}

function addRuleIssue(
  ctx: z.core.$RefinementCtx<unknown>,
  path: readonly (string | number)[],
  rule: ValidationRule,
  message: string,
): void {
  ctx.addIssue({ code: 'custom', path: [...path], message, params: { rule } });
}

const TYPE_WORDS: Record<string, string> = {
  string: 'a string',
  number: 'a number',
  int: 'an integer',
  integer: 'an integer',
  boolean: 'a boolean',
  object: 'an object',
  array: 'an array',
};

function valueAt(input: unknown, path: readonly PropertyKey[]): { found: boolean; value: unknown } {
  let current: unknown = input;
  for (const key of path) {
    if (typeof current !== 'object' || current === null || !(key in current)) return { found: false, value: undefined };
    current = (current as Record<PropertyKey, unknown>)[key];
  }
  return { found: true, value: current };
}

function stringLeaves(value: unknown, out: string[] = [], depth = 0): string[] {
  if (depth > 6) return out;
  if (typeof value === 'string') out.push(value);
  else if (typeof value === 'number') out.push(String(value));
  else if (typeof value === 'object' && value !== null) {
    for (const inner of Object.values(value)) stringLeaves(inner, out, depth + 1);
  }
  return out;
}

function describeValues(values: readonly unknown[]): string {
  const shown = values.slice(0, 30).map((v) => (typeof v === 'string' ? v : JSON.stringify(v)));
  return shown.join(', ') + (values.length > 30 ? ', …' : '');
}

function ruleAndMessage(issue: ZodIssue, missing: boolean): { rule: ValidationRule; message: string } {
  switch (issue.code) {
    case 'invalid_type':
      if (missing) return { rule: 'required', message: 'is required' };
      return { rule: 'type', message: `must be ${TYPE_WORDS[issue.expected] ?? issue.expected}` };
    case 'too_small': {
      const n = Number(issue.minimum);
      if (issue.origin === 'string') {
        return { rule: 'min_length', message: n === 1 ? 'must not be empty' : `must be at least ${n} characters` };
      }
      if (issue.origin === 'array' || issue.origin === 'set') {
        return { rule: 'min_items', message: `must contain at least ${n} item${n === 1 ? '' : 's'}` };
      }
      return {
        rule: 'range',
        message: issue.inclusive === false ? `must be greater than ${n}` : `must be at least ${n}`,
      };
    }
    case 'too_big': {
      const n = Number(issue.maximum);
      if (issue.origin === 'string') return { rule: 'max_length', message: `must be at most ${n} characters` };
      if (issue.origin === 'array' || issue.origin === 'set') {
        return { rule: 'max_items', message: `must contain at most ${n} item${n === 1 ? '' : 's'}` };
      }
      return { rule: 'range', message: issue.inclusive === false ? `must be less than ${n}` : `must be at most ${n}` };
    }
    case 'invalid_value':
      // zod reports an absent literal/enum field as a wrong value; to the caller it is missing.
      if (missing) return { rule: 'required', message: 'is required' };
      return {
        rule: 'enum',
        message:
          issue.values.length === 1
            ? `must be ${describeValues(issue.values)}`
            : `must be one of ${describeValues(issue.values)}`,
      };
    case 'invalid_format':
      // Every format check in this file carries a message we wrote; zod's own wording is the fallback.
      return { rule: 'format', message: issue.message || `must be a valid ${issue.format}` };
    case 'not_multiple_of':
      return { rule: 'format', message: `must be a multiple of ${String(issue.divisor)}` };
    case 'unrecognized_keys':
      return { rule: 'unknown_field', message: `has unknown field(s) ${issue.keys.join(', ')}` };
    case 'invalid_union':
    case 'invalid_key':
    case 'invalid_element':
      return { rule: 'type', message: 'has the wrong type' };
    case 'custom': {
      const rule = (issue.params as { rule?: ValidationRule } | undefined)?.rule ?? 'invalid';
      return { rule, message: issue.message || 'is invalid' };
    }
    default:
      return { rule: 'invalid', message: 'is invalid' };
  }
}

/**
 * Turns a zod error into notifykit's issues: dotted `path`, stable `rule`, and a message that never
 * contains the submitted value. Pass the validated `input` so a missing field is told apart from one
 * of the wrong type without relying on zod's wording.
 */
export function toValidationIssues(error: { issues: readonly ZodIssue[] }, input?: unknown): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  for (const issue of error.issues) {
    const at = input === undefined ? undefined : valueAt(input, issue.path);
    const missing =
      at !== undefined
        ? !at.found || at.value === undefined
        : 'input' in issue
          ? issue.input === undefined
          : /received undefined$/.test(issue.message);
    let { rule, message } = ruleAndMessage(issue, missing);
    // Belt and braces: if a message ever contained the value it judges, say less rather than leak it.
    if (at?.found && stringLeaves(at.value).some((leaf) => leaf.length >= 3 && message.includes(leaf))) {
      message = `fails the ${rule} rule`;
    }
    issues.push({ path: issue.path.map(String).join('.'), rule, message });
  }
  return issues;
}

// --- field builders -------------------------------------------------------------------------------

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
  phone: 'must be 10 digits',
  state: 'must be a two-letter state code',
  zip: 'must be 5 digits or ZIP+4 (5 digits, a hyphen, 4 digits)',
  email: 'must be an email address',
  amount: 'must be a decimal dollar amount with at most 2 decimals, like "250.00"',
  https: 'must be an https URL',
} as const;

const text = () => z.string();
const personName = () => z.string().min(1).max(150);

function amountString() {
  return z
    .string()
    .max(10)
    .regex(AMOUNT_PATTERN, { error: FORMAT.amount })
    .refine((v) => !AMOUNT_PATTERN.test(v) || Number(v) > 0, ruled('range', 'must be greater than 0'))
    .meta({ description: 'Decimal dollars, > 0, at most 2 decimals, at most 10 characters', examples: ['250.00'] });
}

/** A phone-like field: 10 digits under strict contact rules; `required` rejects a blank value. */
function phoneField(rules: ProgramRules, required: boolean) {
  if (!rules.strictContact) return required ? text().min(1) : text();
  return text().regex(required ? PHONE : blankOr(PHONE), { error: FORMAT.phone });
}

function emailField(required: boolean) {
  return text()
    .regex(required ? EMAIL : blankOr(EMAIL), { error: FORMAT.email })
    .meta({ format: 'email' });
}

function stateField(rules: ProgramRules) {
  return rules.strictContact ? text().regex(blankOr(STATE), { error: FORMAT.state }) : text();
}

function zipField(rules: ProgramRules) {
  return rules.strictContact ? text().regex(blankOr(ZIP), { error: FORMAT.zip }) : text();
}

function httpsUrl() {
  return z.url({ protocol: /^https$/, error: FORMAT.https });
}

/** `authentication_records[]` / v4 `authentication[]` item (Decision: validation_type 1|2|3, match_failure_type 1|2). */
function authenticationRecordSchema() {
  return z.object({
    field_label: text().min(1).meta({ description: 'Prompt shown to the recipient, e.g. "Last 4 SSN"' }),
    field_order: z.int(),
    validation_type: z
      .literal([1, 2, 3])
      .meta({ description: '1 exact match, 2 case-insensitive match, 3 digits-only match' }),
    match_failure_type: z
      .literal([1, 2])
      .meta({ description: '1 hard failure (re-prompt, then fail), 2 soft (record and continue)' }),
    value_format: text().optional().meta({ description: 'Input mask, e.g. "XXXX" or "MM/DD/YYYY"' }),
    client_provided_value: text()
      .min(1)
      .meta({ description: 'The expected answer. Sensitive: never logged by notifykit.' }),
  });
}

function notificationRecordSchema() {
  return z.object({
    field_label: text().min(1),
    client_provided_value: text(),
  });
}

type NameForm = { first_name?: unknown; last_name?: unknown; business_name?: unknown };

/** Exactly one of (first_name and last_name) or business_name, never both (ingo-api.md §3, §4). */
function checkNameForm(value: unknown, ctx: z.core.$RefinementCtx<unknown>): void {
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

const always = { when: () => true } as const;

// --- v3 stage (ingo-api.md §3) --------------------------------------------------------------------

function recipientSchema(rules: ProgramRules) {
  const optionalEmail = emailField(false).optional();
  const optionalMobile = phoneField(rules, false).optional();
  return z
    .object({
      customer_id: text().optional(),
      first_name: personName().optional(),
      last_name: personName().optional(),
      business_name: personName().optional(),
      // The static type says optional because ProgramRules decide at runtime; the schema enforces it.
      email: (rules.requireEmail ? emailField(true) : optionalEmail) as typeof optionalEmail,
      mobile: (rules.otac ? phoneField(rules, true) : optionalMobile) as typeof optionalMobile,
      phone: phoneField(rules, false).optional(),
      address1: text().optional(),
      address2: text().optional(),
      city: text().optional(),
      state: stateField(rules).optional(),
      zip: zipField(rules).optional(),
    })
    .superRefine(checkNameForm, always)
    .meta({ description: 'Exactly one of (first_name and last_name) or business_name' });
}

function buildStageSchema(rules: ProgramRules) {
  const record = authenticationRecordSchema();
  const optionalRecords = z.array(record).max(20).optional();
  return z.object({
    participant_id: z.int(),
    amount: amountString(),
    workflow_id: z.int().optional().meta({ description: 'Defaults to 1' }),
    participant_unique_id1: text().min(1).max(100).meta({ description: 'Unique per participant: the idempotency key' }),
    participant_unique_id2: text().max(100).optional(),
    tracer_id: text().max(254).optional().meta({ description: 'Echoed back; needed later to cancel' }),
    recipient: recipientSchema(rules),
    authentication_records: (rules.otac ? optionalRecords : z.array(record).min(1).max(20)) as typeof optionalRecords,
    notification_records: z.array(notificationRecordSchema()).optional(),
    language: z.enum(LANGUAGES).optional(),
    document_url: httpsUrl().optional(),
  });
}

export type StageRequestSchema = ReturnType<typeof buildStageSchema>;
/** Body of `POST /gateway/v3/notify`. */
export type StageRequest = z.infer<StageRequestSchema>;
export type StageRecipient = StageRequest['recipient'];
export type AuthenticationRecord = z.infer<ReturnType<typeof authenticationRecordSchema>>;
export type NotificationRecord = z.infer<ReturnType<typeof notificationRecordSchema>>;

const stageSchemas = memoizedByRules(buildStageSchema);

/** The stage body schema under the given program rules (defaults: {@link DEFAULT_PROGRAM_RULES}). */
export function stageRequestSchema(rules?: Partial<ProgramRules>): StageRequestSchema {
  return stageSchemas(rules);
}

// --- v3 cancel (ingo-api.md §4) -------------------------------------------------------------------

function buildCancelSchema() {
  return z
    .object({
      participant_id: z.int(),
      participant_unique_id1: text().min(1).max(254),
      first_name: personName().optional(),
      last_name: personName().optional(),
      business_name: personName().optional(),
      amount: amountString(),
      tracer_id: text().min(1).max(254),
      notification_id: z.int().positive().optional(),
      customer_id: text().optional(),
      participant_unique_id2: text().max(100).optional(),
    })
    .superRefine(checkNameForm, always)
    .meta({ description: 'first_name and last_name as staged, or business_name for a business recipient' });
}

/** Schema of the body of `POST /gateway/v3/notifycancel`. */
export const cancelRequestSchema = buildCancelSchema();
/** Body of `POST /gateway/v3/notifycancel`. */
export type CancelRequest = z.infer<typeof cancelRequestSchema>;

// --- v4 managed stage (ingo-api.md §5) ------------------------------------------------------------

export const MAX_APPROVERS = 5;

/** Party roles of v4 `transaction_parties[].settings.role`. */
export const PARTY_ROLES = { recipient: 0, approver: 1, interested: 2 } as const;

function personNameSchema() {
  return z.object({ first_name: personName(), last_name: personName() });
}

function addressSchema(rules: ProgramRules) {
  return z.object({
    address1: text().optional(),
    address2: text().optional(),
    city: text().optional(),
    state: stateField(rules).optional(),
    zip: zipField(rules).optional(),
  });
}

function partyTelcomSchema(rules: ProgramRules) {
  const optionalEmail = emailField(false).optional();
  const optionalMobile = phoneField(rules, false).optional();
  return z.object({
    email: (rules.requireEmail ? emailField(true) : optionalEmail) as typeof optionalEmail,
    phone_mobile: (rules.otac ? phoneField(rules, true) : optionalMobile) as typeof optionalMobile,
  });
}

function notifyTypeSchema() {
  return z
    .int()
    .superRefine((value, ctx) => {
      if (value === 1 || value === 2) {
        addRuleIssue(
          ctx,
          [],
          'unsupported',
          'enrollment-only (1) and pay-enrolled-party (2) notify types are announced by Ingo but not available; use 0',
        );
      } else if (value !== 0) {
        addRuleIssue(ctx, [], 'enum', 'must be 0 (standard disbursement)');
      }
    })
    .meta({ enum: [0], description: '0 = standard disbursement, the only type available' });
}

function buildManagedSchema(rules: ProgramRules) {
  const telcom = partyTelcomSchema(rules);
  const optionalTelcom = telcom.optional();
  const party = z
    .object({
      settings: z.object({
        client_provided_id: text().min(1).meta({ description: 'Unique within the request' }),
        role: z.literal([0, 1, 2]).meta({ description: '0 recipient, 1 approver, 2 interested party' }),
        classification: z.literal([1]).optional().meta({ description: '1 individual' }),
        recipient_enabled: z.literal([0, 1]).optional(),
      }),
      name_personal: personNameSchema(),
      contact_telcom: (rules.requireEmail || rules.otac ? telcom : optionalTelcom) as typeof optionalTelcom,
      contact_address: addressSchema(rules).optional(),
      authentication: z.array(authenticationRecordSchema()).max(20).optional(),
      notification: z.array(notificationRecordSchema()).optional(),
    })
    .superRefine((value, ctx) => {
      // Recipients and approvers authenticate; an interested party is only informed.
      if (rules.otac || typeof value !== 'object' || value === null) return;
      const role = (value as { settings?: { role?: unknown } }).settings?.role;
      if (role !== 0 && role !== 1) return;
      const auth = (value as { authentication?: unknown }).authentication;
      if (auth === undefined) {
        addRuleIssue(ctx, ['authentication'], 'required', 'is required for a recipient or approver (1 to 20 records)');
      } else if (Array.isArray(auth) && auth.length === 0) {
        addRuleIssue(ctx, ['authentication'], 'min_items', 'must contain at least 1 item');
      }
    }, always);

  return z.object({
    request: z.object({
      participant_id: z.int(),
      timestamp: z.int().nonnegative().meta({ description: 'Unix seconds' }),
    }),
    transaction: z.object({
      transaction_amount: z.object({
        amount: z.number().positive().meta({ description: 'Dollars, > 0' }),
        currency_code: z.literal('USD'),
      }),
      participant_unique_ids: z.object({
        participant_unique_id1: text()
          .min(1)
          .max(100)
          .meta({ description: 'Unique per participant: the idempotency key' }),
        participant_unique_id2: text().max(100).optional(),
      }),
      workflow_id: z.int().optional(),
      notify_type: notifyTypeSchema(),
      sender: z.object({
        name_personal: personNameSchema(),
        contact_address: addressSchema(rules).optional(),
        contact_telcom: z.object({ email: emailField(false).optional() }).optional(),
        sender_account: text().optional(),
      }),
      tracer_id: text().max(254).optional(),
    }),
    transaction_parties: z
      .array(party)
      .min(1)
      .superRefine((parties, ctx) => {
        if (!Array.isArray(parties)) return;
        const roleOf = (p: unknown) => (p as { settings?: { role?: unknown } } | null)?.settings?.role;
        const recipients = parties.filter((p) => roleOf(p) === 0).length;
        if (recipients !== 1) {
          addRuleIssue(ctx, [], 'count', `must contain exactly one party with role 0 (recipient), found ${recipients}`);
        }
        const approvers = parties.filter((p) => roleOf(p) === 1).length;
        if (approvers > MAX_APPROVERS) {
          addRuleIssue(
            ctx,
            [],
            'count',
            `must contain at most ${MAX_APPROVERS} approvers (role 1), found ${approvers}`,
          );
        }
        const firstIndex = new Map<unknown, number>();
        parties.forEach((p, i) => {
          const id = (p as { settings?: { client_provided_id?: unknown } } | null)?.settings?.client_provided_id;
          if (typeof id !== 'string') return;
          const earlier = firstIndex.get(id);
          if (earlier === undefined) firstIndex.set(id, i);
          else {
            addRuleIssue(
              ctx,
              [i, 'settings', 'client_provided_id'],
              'unique',
              `duplicates transaction_parties.${earlier}.settings.client_provided_id`,
            );
          }
        });
      }, always)
      .meta({ description: 'Exactly one recipient (role 0), 0–5 approvers (role 1), unique client_provided_id' }),
  });
}

export type ManagedStageRequestSchema = ReturnType<typeof buildManagedSchema>;
/** Body of `POST /gateway/v4/notify`. */
export type ManagedStageRequest = z.infer<ManagedStageRequestSchema>;
export type ManagedParty = ManagedStageRequest['transaction_parties'][number];

const managedSchemas = memoizedByRules(buildManagedSchema);

/** The v4 managed stage body schema under the given program rules. */
export function managedStageRequestSchema(rules?: Partial<ProgramRules>): ManagedStageRequestSchema {
  return managedSchemas(rules);
}

// --- validation entry points ----------------------------------------------------------------------

function validateWith<T>(schema: z.ZodType<T>, body: unknown, what: string): T {
  const result = schema.safeParse(body);
  if (result.success) return result.data;
  throw new ValidationError(toValidationIssues(result.error, body), what);
}

/** Returns the stage body (unknown fields dropped) or throws {@link ValidationError}. */
export function validateStageRequest(body: unknown, rules?: Partial<ProgramRules>): StageRequest {
  return validateWith(stageRequestSchema(rules), body, 'stage request');
}

/** Returns the cancel body (unknown fields dropped) or throws {@link ValidationError}. */
export function validateCancelRequest(body: unknown): CancelRequest {
  return validateWith(cancelRequestSchema, body, 'cancel request');
}

/** Returns the v4 stage body (unknown fields dropped) or throws {@link ValidationError}. */
export function validateManagedStageRequest(body: unknown, rules?: Partial<ProgramRules>): ManagedStageRequest {
  return validateWith(managedStageRequestSchema(rules), body, 'managed stage request');
}

// --- responses (ingo-api.md §2–5) -----------------------------------------------------------------

/** Ingo's success family: 100 success, 101 idempotent replay, 104 in progress (idempotent). */
export function isSuccessStatus(status: number): boolean {
  return status >= 100 && status <= 110;
}

/** Statuses that answer with the data of an earlier request rather than creating anything. */
export function isIdempotentReplay(status: number): boolean {
  return status === 101 || status === 104;
}

// Re-exported: they have always been part of the SDK's surface from this module.
export { driftNumber, driftString };

export interface IngoStatusLine {
  status: number;
  clientMessage: string;
  /** `v3`: `{status, client_message}` at the top; `v4`: `{response: {status, message}}`. */
  dialect: 'v3' | 'v4';
}

/** Reads the Ingo status of a v3 or v4 envelope, or undefined when the body is not an envelope. */
export function readIngoStatus(body: unknown): IngoStatusLine | undefined {
  if (!isJsonObject(body)) return undefined;
  const v3 = driftNumber(body.status);
  if (v3 !== undefined && Number.isInteger(v3)) {
    return {
      status: v3,
      clientMessage: driftString(body.client_message) ?? driftString(body.message) ?? '',
      dialect: 'v3',
    };
  }
  if (isJsonObject(body.response)) {
    const v4 = driftNumber(body.response.status);
    if (v4 !== undefined && Number.isInteger(v4)) {
      return { status: v4, clientMessage: driftString(body.response.message) ?? '', dialect: 'v4' };
    }
  }
  return undefined;
}

export interface ResponseContext {
  /** HTTP status the body came with (default 200). */
  httpStatus?: number;
  /** The `X-Request-Id` the request was sent with, reported on errors. */
  requestId?: string;
}

function successEnvelope(body: unknown, context: ResponseContext | undefined, what: string): IngoStatusLine {
  const httpStatus = context?.httpStatus ?? 200;
  const line = readIngoStatus(body);
  if (!line) throw new ResponseParseError(`Ingo's ${what} response is not an Ingo envelope`, httpStatus);
  if (!isSuccessStatus(line.status)) {
    throw new IngoApiError({
      status: line.status,
      clientMessage: line.clientMessage,
      httpStatus,
      requestId: context?.requestId,
      raw: body,
    });
  }
  return line;
}

function requireString(value: unknown, field: string, what: string, httpStatus: number): string {
  const s = driftString(value);
  if (s === undefined || s === '') {
    throw new ResponseParseError(`Ingo's ${what} response has no usable ${field}`, httpStatus);
  }
  return s;
}

function asBody(body: unknown, what: string, httpStatus: number): unknown {
  if (typeof body !== 'string') return body;
  try {
    return JSON.parse(body);
  } catch {
    throw new ResponseParseError(`Ingo's ${what} response is not JSON`, httpStatus);
  }
}

/** Result of `POST /gateway/v3/notify`: staged (not paid); the lifecycle continues through webhooks. */
export interface StageResult {
  status: number;
  clientMessage: string;
  /** Always a string, whatever JSON type Ingo used. */
  notificationId: string;
  tracerId: string | undefined;
  participantUniqueId1: string;
  participantUniqueId2: string | undefined;
  /** Unix seconds. */
  requestTimestamp: number | undefined;
  /** Ingo's processing time in seconds, as sent (`time`). */
  time: string | undefined;
  /** True for 101 (and 104): an earlier stage with the same participant_unique_id1 answered. */
  idempotentReplay: boolean;
  raw: unknown;
}

/** The parts of a successful v3 envelope (`{status, client_message, data, time}`) both parsers read. */
function v3SuccessData(body: unknown, context: ResponseContext | undefined, what: 'stage' | 'cancel') {
  const httpStatus = context?.httpStatus ?? 200;
  const parsed = asBody(body, what, httpStatus);
  const line = successEnvelope(parsed, context, what);
  const envelope = parsed as JsonObject; // an envelope is an object: successEnvelope checked it
  const data = isJsonObject(envelope.data) ? envelope.data : undefined;
  if (!data) throw new ResponseParseError(`Ingo's ${what} response has no data object`, httpStatus);
  return { httpStatus, parsed, line, envelope, data };
}

/** Parses a v3 stage response (JSON text or parsed); a non-success status throws {@link IngoApiError}. */
export function parseStageResponse(body: unknown, context?: ResponseContext): StageResult {
  const { httpStatus, parsed, line, envelope, data } = v3SuccessData(body, context, 'stage');
  return {
    status: line.status,
    clientMessage: line.clientMessage,
    notificationId: requireString(data.notification_id, 'data.notification_id', 'stage', httpStatus),
    tracerId: driftString(data.tracer_id),
    participantUniqueId1: driftString(data.participant_unique_id1) ?? '',
    participantUniqueId2: driftString(data.participant_unique_id2),
    requestTimestamp: driftNumber(data.request_timestamp),
    time: driftString(envelope.time),
    idempotentReplay: isIdempotentReplay(line.status),
    raw: parsed,
  };
}

/** Result of `POST /gateway/v3/notifycancel`. */
export interface CancelResult {
  status: number;
  clientMessage: string;
  notificationId: string;
  participantUniqueId1: string;
  tracerId: string | undefined;
  requestTimestamp: number | undefined;
  /** True for 101: the disbursement was already canceled by an earlier request. */
  idempotentReplay: boolean;
  raw: unknown;
}

/** Parses a v3 cancel response; a refusal (780–787…) throws {@link IngoApiError}. */
export function parseCancelResponse(body: unknown, context?: ResponseContext): CancelResult {
  const { httpStatus, parsed, line, data } = v3SuccessData(body, context, 'cancel');
  return {
    status: line.status,
    clientMessage: line.clientMessage,
    notificationId: requireString(data.notification_id, 'data.notification_id', 'cancel', httpStatus),
    participantUniqueId1: driftString(data.participant_unique_id1) ?? '',
    tracerId: driftString(data.tracer_id),
    requestTimestamp: driftNumber(data.request_timestamp),
    idempotentReplay: isIdempotentReplay(line.status),
    raw: parsed,
  };
}

export interface ManagedPartyResult {
  clientProvidedId: string;
  /** Ingo's UUID for the party; webhooks name parties by it. */
  partyId: string;
  role: number;
}

/** Result of `POST /gateway/v4/notify`. */
export interface ManagedStageResult {
  status: number;
  message: string;
  notificationId: string;
  tracerId: string | undefined;
  participantUniqueIds: { participantUniqueId1: string; participantUniqueId2: string | undefined };
  parties: ManagedPartyResult[];
  idempotentReplay: boolean;
  raw: unknown;
}

function requireRole(value: unknown, index: number, httpStatus: number): number {
  const role = driftNumber(value);
  if (role === undefined || !Number.isInteger(role)) {
    throw new ResponseParseError(
      `Ingo's managed stage response has no usable transaction.parties.${index}.role`,
      httpStatus,
    );
  }
  return role;
}

/** Parses a v4 stage response (whose numbers arrive as strings); a non-success status throws. */
export function parseManagedStageResponse(body: unknown, context?: ResponseContext): ManagedStageResult {
  const httpStatus = context?.httpStatus ?? 200;
  const parsed = asBody(body, 'managed stage', httpStatus);
  const line = successEnvelope(parsed, context, 'managed stage');
  const envelope = parsed as JsonObject; // an envelope is an object: successEnvelope checked it
  const transaction = isJsonObject(envelope.transaction) ? envelope.transaction : undefined;
  if (!transaction) throw new ResponseParseError("Ingo's managed stage response has no transaction object", httpStatus);
  const ids = isJsonObject(transaction.participant_unique_ids) ? transaction.participant_unique_ids : {};
  const partiesRaw = Array.isArray(transaction.parties) ? transaction.parties : [];
  const parties = partiesRaw.filter(isJsonObject).map((p, i) => ({
    clientProvidedId: driftString(p.client_provided_id) ?? '',
    partyId: requireString(p.party_id, `transaction.parties.${i}.party_id`, 'managed stage', httpStatus),
    role: requireRole(p.role, i, httpStatus),
  }));
  return {
    status: line.status,
    message: line.clientMessage,
    notificationId: requireString(
      transaction.notification_id,
      'transaction.notification_id',
      'managed stage',
      httpStatus,
    ),
    tracerId: driftString(transaction.tracer_id),
    participantUniqueIds: {
      participantUniqueId1: driftString(ids.participant_unique_id1) ?? '',
      participantUniqueId2: driftString(ids.participant_unique_id2),
    },
    parties,
    idempotentReplay: isIdempotentReplay(line.status),
    raw: parsed,
  };
}

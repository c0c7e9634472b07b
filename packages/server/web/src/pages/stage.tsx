import { useState } from 'preact/hooks';
import { ApiFailure, call, type Issue } from '../api.js';
import { navigate } from '../router.js';
import type { Disbursement } from '../types.js';

// Stage a payout through the public API (`POST /api/v1/disbursements`). The browser does not validate:
// the API's own messages appear beside the fields they name. One Idempotency-Key per draft, so a
// double click or a retry after a lost answer stages the payout once.

const FIELDS = [
  { path: 'amount', label: 'Amount ($)', hint: 'e.g. 125.00', inputMode: 'decimal' },
  { path: 'recipient.first_name', label: 'First name' },
  { path: 'recipient.last_name', label: 'Last name' },
  { path: 'recipient.email', label: 'Email', type: 'email', autocomplete: 'off' },
  { path: 'recipient.mobile', label: 'Mobile', type: 'tel', hint: 'US number, 10 digits' },
  { path: 'recipient.address1', label: 'Address' },
  { path: 'recipient.city', label: 'City' },
  { path: 'recipient.state', label: 'State', hint: 'two letters, e.g. TX' },
  { path: 'recipient.zip', label: 'ZIP' },
  { path: 'participant_unique_id2', label: 'Your reference (optional)' },
  { path: 'authentication_records.0.field_label', label: 'Authentication question', hint: 'e.g. Last 4 SSN' },
  {
    path: 'authentication_records.0.client_provided_value',
    label: 'Expected answer',
    type: 'password',
    hint: 'never shown again: stored encrypted, redacted everywhere',
    autocomplete: 'new-password',
  },
] as const;

type FieldPath = (typeof FIELDS)[number]['path'];

function bodyOf(values: Record<FieldPath, string>) {
  const v = (p: FieldPath) => (values[p].trim() === '' ? undefined : values[p].trim());
  return {
    amount: v('amount'),
    ...(v('participant_unique_id2') ? { participant_unique_id2: v('participant_unique_id2') } : {}),
    recipient: {
      first_name: v('recipient.first_name'),
      last_name: v('recipient.last_name'),
      email: v('recipient.email'),
      mobile: v('recipient.mobile'),
      address1: v('recipient.address1'),
      city: v('recipient.city'),
      state: v('recipient.state'),
      zip: v('recipient.zip'),
    },
    authentication_records: [
      {
        field_label: v('authentication_records.0.field_label'),
        field_order: 1,
        validation_type: 1,
        match_failure_type: 1,
        client_provided_value: values['authentication_records.0.client_provided_value'],
      },
    ],
  };
}

const fieldId = (path: string) => `f-${path.replaceAll('.', '-')}`;

export function StagePage({ canAct }: { canAct: boolean }) {
  const [values, setValues] = useState(
    () =>
      Object.fromEntries(FIELDS.map((f) => [f.path, f.path.endsWith('field_label') ? 'Last 4 SSN' : ''])) as Record<
        FieldPath,
        string
      >,
  );
  const [issues, setIssues] = useState<Issue[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [draftKey, setDraftKey] = useState(() => crypto.randomUUID());

  if (!canAct) {
    return (
      <>
        <h1>Stage a payout</h1>
        <p class="state">The read-only token cannot stage payouts. Sign in with the operator token to stage.</p>
      </>
    );
  }

  const submit = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setIssues([]);
    setError(null);
    try {
      const created = await call<Disbursement>('POST', '/api/v1/disbursements', bodyOf(values), {
        'idempotency-key': draftKey,
      });
      setDraftKey(crypto.randomUUID());
      navigate(`#/payouts/${created.id}`);
    } catch (e) {
      if (e instanceof ApiFailure && e.issues.length > 0) {
        setIssues(e.issues);
        const marked = new Set(e.issues.map((i) => i.path).filter((p) => FIELDS.some((f) => f.path === p))).size;
        setError(
          marked > 0
            ? `The payout was not staged: correct the ${marked === 1 ? 'field' : `${marked} fields`} marked below.`
            : `The payout was not staged: ${e.message}`,
        );
        const first = FIELDS.find((f) => e.issues.some((i) => i.path === f.path));
        if (first) document.getElementById(fieldId(first.path))?.focus();
      } else {
        setError(e instanceof Error ? e.message : String(e));
      }
    } finally {
      setBusy(false);
    }
  };

  const known = new Set<string>(FIELDS.map((f) => f.path));
  const other = issues.filter((i) => !known.has(i.path));
  return (
    <>
      <h1>Stage a payout</h1>
      <form class="stage" onSubmit={submit} noValidate>
        {error && (
          <div class="error" role="alert">
            <p>{error}</p>
            {other.length > 0 && (
              <ul>
                {other.map((i) => (
                  <li key={i.path + i.message}>
                    {i.path || 'request'}: {i.message}
                  </li>
                ))}
              </ul>
            )}
          </div>
        )}
        {FIELDS.map((f) => {
          const mine = issues.filter((i) => i.path === f.path);
          const id = fieldId(f.path);
          const described = ['hint' in f ? `${id}-hint` : null, mine.length > 0 ? `${id}-error` : null].filter(
            (x) => x !== null,
          );
          return (
            <div class="field" key={f.path}>
              <label for={id}>{f.label}</label>
              <input
                id={id}
                name={f.path}
                type={'type' in f ? f.type : 'text'}
                inputMode={'inputMode' in f ? f.inputMode : undefined}
                autocomplete={'autocomplete' in f ? f.autocomplete : undefined}
                value={values[f.path]}
                aria-invalid={mine.length > 0}
                aria-describedby={described.length > 0 ? described.join(' ') : undefined}
                onInput={(e) => setValues({ ...values, [f.path]: e.currentTarget.value })}
              />
              {'hint' in f && (
                <span id={`${id}-hint`} class="hint">
                  {f.hint}
                </span>
              )}
              {mine.length > 0 && (
                <span id={`${id}-error`} class="field-error">
                  {mine.map((i) => i.message).join('; ')}
                </span>
              )}
            </div>
          );
        })}
        <button type="submit" disabled={busy}>
          {busy ? 'Staging…' : 'Stage payout'}
        </button>
      </form>
    </>
  );
}

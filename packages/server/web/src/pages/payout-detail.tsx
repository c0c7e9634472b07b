import { useCallback } from 'preact/hooks';
import { get } from '../api.js';
import { Pending, useAsync } from '../components/async.js';
import { CancelPanel } from '../components/cancel-panel.js';
import { Timeline } from '../components/timeline.js';
import { formatMoney, formatTime, mask } from '../format.js';
import { useLiveRefresh } from '../live.js';
import { STEPS, StatusBadge } from '../status.js';
import type { DisbursementDetail, LiveEvent } from '../types.js';

function StepTracker({ payout }: { payout: DisbursementDetail }) {
  // The furthest step reached: the step the status names, or (for an ending such as canceled) the
  // last step the timeline shows it passed.
  const passed = new Set<string>(payout.timeline.map((t) => t.status_after ?? ''));
  const reached = STEPS.reduce((n, step, i) => (passed.has(step) || payout.status === step ? i : n), -1);
  const ended = !(STEPS as readonly string[]).includes(payout.status) && payout.status !== 'pending';
  return (
    <ol class="steps" aria-label="Lifecycle">
      {STEPS.map((step, i) => {
        const state = i < reached ? 'done' : i === reached ? 'current' : 'todo';
        return (
          <li key={step} class={state} aria-current={i === reached ? 'step' : undefined}>
            <span class="marker" aria-hidden="true">
              {state === 'done' ? '✓' : i + 1}
            </span>
            {step}
            <span class="visually-hidden">
              {state === 'done' ? ' (done)' : state === 'current' ? ' (current)' : ''}
            </span>
          </li>
        );
      })}
      {ended && (
        <li class="ended">
          <StatusBadge status={payout.status} />
        </li>
      )}
    </ol>
  );
}

function Field({ label, children }: { label: string; children: preact.ComponentChildren }) {
  return (
    <>
      <dt>{label}</dt>
      <dd>{children}</dd>
    </>
  );
}

function Parties({ payout }: { payout: DisbursementDetail }) {
  if (payout.parties.length === 0 && payout.approvals === null) return null;
  return (
    <section aria-labelledby="parties-heading" class="panel">
      <h2 id="parties-heading">Parties and approvals</h2>
      {payout.approvals && (
        <p>
          Approvals: {payout.approvals.approved} approved, {payout.approvals.declined} declined of{' '}
          {payout.approvals.required} required{payout.approvals.complete ? ' (complete)' : ''}.
        </p>
      )}
      <table class="list">
        <thead>
          <tr>
            <th scope="col">Party</th>
            <th scope="col">Role</th>
            <th scope="col">Notified</th>
            <th scope="col">Viewed</th>
            <th scope="col">Authenticated</th>
            <th scope="col">Decision</th>
          </tr>
        </thead>
        <tbody>
          {payout.parties.map((p) => (
            <tr key={p.client_provided_id}>
              <td>
                {p.name ?? p.client_provided_id}
                <div class="mono small">{p.party_id ?? 'not staged yet'}</div>
              </td>
              <td>{p.role.replaceAll('_', ' ')}</td>
              <td>{p.notified ? 'yes' : 'no'}</td>
              <td>{p.viewed ? 'yes' : 'no'}</td>
              <td>{p.authenticated ? 'yes' : 'no'}</td>
              <td>{p.decision ? `${p.decision} ${formatTime(p.decided_at)}` : '—'}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

export function PayoutDetailPage({ id, canAct }: { id: string; canAct: boolean }) {
  const state = useAsync(() => get<DisbursementDetail>(`/api/v1/disbursements/${encodeURIComponent(id)}`), [id]);
  const mine = useCallback((e: LiveEvent) => e.disbursement_id === id, [id]);
  useLiveRefresh(state.reload, mine);
  const p = state.data;
  if (!p) return <Pending state={state} what="this payout" />;
  const r = p.recipient;
  return (
    <>
      <p>
        <a href="#/payouts">← All payouts</a>
      </p>
      <h1>
        {formatMoney(p.amount_cents)} to {p.recipient_name} <StatusBadge status={p.status} />
      </h1>
      <StepTracker payout={p} />
      {p.attention.length > 0 && (
        <div class="attention" role="note">
          <h2>Needs attention</h2>
          <ul>
            {p.attention.map((f) => (
              <li key={f.code}>
                <strong>{f.code.replaceAll('_', ' ')}</strong>: {f.message}
              </li>
            ))}
          </ul>
        </div>
      )}
      {p.failure && (
        <p class="error" role="note">
          Ingo refused the stage call: {p.failure.message} (code {p.failure.code})
        </p>
      )}
      <div class="columns">
        <section aria-labelledby="ids-heading" class="panel">
          <h2 id="ids-heading">Payout</h2>
          <dl>
            <Field label="Amount">{formatMoney(p.amount_cents)}</Field>
            <Field label="Status">{p.status}</Field>
            <Field label="notifykit id">
              <span class="mono">{p.id}</span>
            </Field>
            <Field label="Participant unique id">
              <span class="mono">{p.participant_unique_id1}</span>
            </Field>
            {p.participant_unique_id2 && <Field label="Second reference">{p.participant_unique_id2}</Field>}
            <Field label="Notification id">
              <span class="mono">{p.notification_id ?? 'not yet'}</span>
            </Field>
            <Field label="Tracer id">
              <span class="mono">{p.tracer_id}</span>
            </Field>
            <Field label="Created">{formatTime(p.created_at)}</Field>
            <Field label="Staged">{formatTime(p.staged_at)}</Field>
            <Field label="Funded">{formatTime(p.funded_at)}</Field>
            <Field label="On hold">{p.hold.active ? `yes (${p.hold.reasons.join(', ')})` : 'no'}</Field>
          </dl>
        </section>
        <section aria-labelledby="recipient-heading" class="panel">
          <h2 id="recipient-heading">Recipient</h2>
          <dl>
            <Field label="Name">{p.recipient_name}</Field>
            <Field label="Email">{mask(r.email)}</Field>
            <Field label="Mobile">{mask(r.mobile)}</Field>
            <Field label="Address">
              {r.city || r.state ? `${mask(r.address1)}, ${String(r.city ?? '')} ${String(r.state ?? '')}` : '—'}
            </Field>
            <Field label="Payment method">
              {p.payment_method
                ? `${p.payment_method.account_type ?? 'unknown'}${p.payment_method.account_id_last4 ? ` ending ${p.payment_method.account_id_last4}` : ''}`
                : 'not chosen yet'}
            </Field>
            <Field label="Authentication">
              {p.authentication.passed
                ? 'passed'
                : p.authentication.attempts !== null
                  ? `${p.authentication.attempts} of ${p.authentication.max_attempts ?? '?'} attempts`
                  : 'not attempted'}
            </Field>
          </dl>
        </section>
        <CancelPanel payout={p} canAct={canAct} onDone={state.reload} />
      </div>
      <Parties payout={p} />
      <section aria-labelledby="timeline-heading">
        <h2 id="timeline-heading">Timeline</h2>
        <Timeline entries={p.timeline} />
      </section>
    </>
  );
}

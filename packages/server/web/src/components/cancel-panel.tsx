import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiFailure, call } from '../api.js';
import { formatMoney, formatTime } from '../format.js';
import type { DisbursementDetail } from '../types.js';

// Cancel: enabled only while the API's detail says a cancel may be sent (`cancel.allowed`) and the
// signed-in role may act; a confirmation first; then what came of it, Ingo's refusal included.

type Outcome = { kind: 'ok' | 'unknown' | 'error'; text: string };

function describeFailure(e: unknown): string {
  if (!(e instanceof ApiFailure)) return e instanceof Error ? e.message : String(e);
  const ingo = e.details?.ingo_status;
  return `${e.message} (${e.code}${ingo !== undefined ? `, Ingo status ${String(ingo)}` : ''})`;
}

export function CancelPanel({
  payout,
  canAct,
  onDone,
}: {
  payout: DisbursementDetail;
  canAct: boolean;
  onDone: () => void;
}) {
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const confirmButton = useRef<HTMLButtonElement>(null);
  // Focus moves to the confirmation once, when it opens (not on every live re-render).
  useEffect(() => {
    if (confirming) confirmButton.current?.focus();
  }, [confirming]);
  const enabled = canAct && payout.cancel.allowed && !busy;
  const why = !canAct
    ? 'The read-only token cannot cancel.'
    : payout.cancel.allowed
      ? null
      : (payout.cancel.reason ?? 'A cancel is not possible now.');

  const send = async () => {
    setBusy(true);
    setConfirming(false);
    try {
      const after = await call<DisbursementDetail>('POST', `/api/v1/disbursements/${payout.id}/cancel`, {});
      setOutcome(
        after.status === 'canceled'
          ? { kind: 'ok', text: 'Canceled: Ingo accepted the cancel.' }
          : {
              kind: 'unknown',
              text: 'The cancel was sent but its outcome is unknown (Ingo’s answer was lost). The timeline will settle it.',
            },
      );
    } catch (e) {
      setOutcome({ kind: 'error', text: `Not canceled: ${describeFailure(e)}` });
    } finally {
      setBusy(false);
      onDone();
    }
  };

  return (
    <section aria-labelledby="cancel-heading" class="panel">
      <h2 id="cancel-heading">Cancel</h2>
      {payout.cancel.requested_at && (
        <p>
          Last cancel sent {formatTime(payout.cancel.requested_at)}: <strong>{payout.cancel.outcome}</strong>
        </p>
      )}
      {why && (
        <p id="cancel-why" class="hint">
          {why}
        </p>
      )}
      {!confirming ? (
        <button
          type="button"
          class="danger"
          disabled={!enabled}
          aria-describedby={why ? 'cancel-why' : undefined}
          onClick={() => {
            setOutcome(null);
            setConfirming(true);
          }}
        >
          {busy ? 'Canceling…' : 'Cancel payout'}
        </button>
      ) : (
        <div class="confirm" role="alertdialog" aria-labelledby="confirm-text">
          <p id="confirm-text">
            Cancel the payout of {formatMoney(payout.amount_cents)} to {payout.recipient_name}? This cannot be undone.
          </p>
          <button type="button" class="danger" onClick={send} ref={confirmButton}>
            Yes, cancel it
          </button>
          <button type="button" class="secondary" onClick={() => setConfirming(false)}>
            Keep it
          </button>
        </div>
      )}
      {outcome && (
        <p
          class={`outcome ${outcome.kind}`}
          role={outcome.kind === 'error' ? 'alert' : 'status'}
          data-testid="cancel-outcome"
        >
          {outcome.text}
        </p>
      )}
    </section>
  );
}

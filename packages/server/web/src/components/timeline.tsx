import { useState } from 'preact/hooks';
import { formatTime } from '../format.js';
import type { TimelineEntry } from '../types.js';

// Everything that happened to a payout, oldest first: time, what (topic or local outcome), Ingo's
// status code and message when the entry has them, redeliveries counted, the raw webhook on demand.

function facts(detail: unknown): { code: string | null; message: string | null } {
  if (typeof detail !== 'object' || detail === null) return { code: null, message: null };
  const d = detail as Record<string, unknown>;
  const code = d.ingo_status ?? d.status_code ?? d.code ?? null;
  const message = d.message ?? d.client_message ?? d.outcome ?? null;
  return {
    code: code === null ? null : String(code),
    message: message === null ? null : String(message),
  };
}

function RawJson({ entry }: { entry: TimelineEntry }) {
  const [open, setOpen] = useState(false);
  const id = `raw-${entry.seq}`;
  return (
    <>
      <button type="button" class="link" aria-expanded={open} aria-controls={id} onClick={() => setOpen(!open)}>
        {open ? 'Hide raw JSON' : 'Raw JSON'}
      </button>
      {open && (
        // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrolling region must be reachable by keyboard (WCAG 2.1.1)
        <pre id={id} class="raw" tabIndex={0}>
          {JSON.stringify(entry.event?.payload ?? entry.detail, null, 2)}
        </pre>
      )}
    </>
  );
}

export function Timeline({ entries }: { entries: TimelineEntry[] }) {
  if (entries.length === 0) return <p class="state empty">Nothing has happened yet.</p>;
  return (
    <div class="table-scroll">
      <table class="list timeline" data-testid="timeline">
        <thead>
          <tr>
            <th scope="col">Time</th>
            <th scope="col">What</th>
            <th scope="col">Status</th>
            <th scope="col">Code</th>
            <th scope="col">Message</th>
            <th scope="col">Duplicates</th>
            <th scope="col">
              <span class="visually-hidden">Raw</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {entries.map((t) => {
            const f = facts(t.detail);
            return (
              <tr key={t.seq}>
                <td class="nowrap">{formatTime(t.event?.occurred_at ?? t.at)}</td>
                <td>
                  <div>{t.kind.replaceAll('_', ' ')}</div>
                  {t.event && <div class="mono small">{t.event.topic}</div>}
                </td>
                <td>
                  {t.status_before !== t.status_after && t.status_before !== null
                    ? `${t.status_before} → ${t.status_after}`
                    : (t.status_after ?? '—')}
                </td>
                <td class="mono">{f.code ?? '—'}</td>
                <td>{f.message ?? '—'}</td>
                <td class="num">{t.event ? t.event.duplicate_count : '—'}</td>
                <td>
                  <RawJson entry={t} />
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

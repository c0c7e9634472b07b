import { useCallback, useState } from 'preact/hooks';
import { get } from '../api.js';
import { Empty, Pending, useAsync } from '../components/async.js';
import { formatMoney, formatTime } from '../format.js';
import { useLiveRefresh } from '../live.js';
import { navigate } from '../router.js';
import { STATUSES, StatusBadge } from '../status.js';
import type { Disbursement, Page } from '../types.js';

// The payouts list. Every filter lives in the address (`#/payouts?status=funded&q=…`), so a view can
// be bookmarked or shared, and the API does the filtering, sorting and keyset paging.

const FILTERS = ['q', 'created_from', 'created_to', 'amount_min', 'amount_max'] as const;
const COLUMNS = [
  { key: 'created_at', label: 'Created' },
  { key: 'updated_at', label: 'Updated' },
  { key: 'amount', label: 'Amount' },
] as const;

function withParams(query: URLSearchParams, changes: Record<string, string | undefined>): string {
  const next = new URLSearchParams(query);
  for (const [k, v] of Object.entries(changes)) {
    if (v === undefined || v === '') next.delete(k);
    else next.set(k, v);
  }
  if (!('cursor' in changes)) next.delete('cursor');
  const text = next.toString();
  return `#/payouts${text ? `?${text}` : ''}`;
}

function Filters({ query }: { query: URLSearchParams }) {
  const [values, setValues] = useState(() => Object.fromEntries(FILTERS.map((f) => [f, query.get(f) ?? ''])));
  const statuses = (query.get('status') ?? '').split(',').filter((s) => s !== '');
  const toggle = (status: string) => {
    const next = statuses.includes(status) ? statuses.filter((s) => s !== status) : [...statuses, status];
    navigate(withParams(query, { status: next.join(',') || undefined }));
  };
  const field = (name: (typeof FILTERS)[number], label: string, type: string, placeholder?: string) => (
    <label>
      {label}
      <input
        type={type}
        name={name}
        value={values[name]}
        placeholder={placeholder}
        inputMode={name.startsWith('amount') ? 'decimal' : undefined}
        onInput={(e) => setValues({ ...values, [name]: e.currentTarget.value })}
      />
    </label>
  );
  return (
    <div class="filters">
      <fieldset class="chips">
        <legend>Status</legend>
        {STATUSES.map((s) => (
          <button
            type="button"
            key={s}
            class={`chip ${statuses.includes(s) ? 'on' : ''}`}
            aria-pressed={statuses.includes(s)}
            onClick={() => toggle(s)}
          >
            {s}
          </button>
        ))}
      </fieldset>
      <form
        class="search"
        aria-label="Search and filter payouts"
        onSubmit={(e) => {
          e.preventDefault();
          navigate(withParams(query, values));
        }}
      >
        {field('q', 'Search', 'search', 'id, name, participant id, notification id')}
        {field('created_from', 'Created from', 'date')}
        {field('created_to', 'Created before', 'date')}
        {field('amount_min', 'Amount from ($)', 'text', '0.00')}
        {field('amount_max', 'Amount to ($)', 'text', '0.00')}
        <button type="submit">Apply</button>
        <a href="#/payouts" class="button secondary">
          Clear
        </a>
      </form>
    </div>
  );
}

export function PayoutListPage({ query }: { query: URLSearchParams }) {
  const key = query.toString();
  const state = useAsync(() => get<Page<Disbursement>>(`/api/v1/disbursements?limit=25&${key}`), [key]);
  useLiveRefresh(useCallback(() => state.reload(), [state.reload]));
  const sort = query.get('sort') ?? '-created_at';
  const sortBy = (column: string) =>
    navigate(withParams(query, { sort: sort === `-${column}` ? column : `-${column}` }));
  const ariaSort = (column: string) =>
    sort === column ? 'ascending' : sort === `-${column}` ? 'descending' : undefined;
  const page = state.data;
  return (
    <>
      <h1>Payouts</h1>
      <Filters query={query} key={key} />
      {state.error?.message && page && (
        <p class="error" role="alert">
          {state.error.message}
        </p>
      )}
      {!page ? (
        <Pending state={state} what="payouts" />
      ) : page.data.length === 0 ? (
        <Empty>
          <p>No payouts match these filters. Clear them, or widen the dates or amounts.</p>
        </Empty>
      ) : (
        <>
          <div class="table-scroll">
            <table class="list" aria-describedby="list-caption">
              <caption id="list-caption" class="visually-hidden">
                Payouts, {sort.startsWith('-') ? 'descending' : 'ascending'} by {sort.replace(/^-/, '')}
              </caption>
              <thead>
                <tr>
                  <th scope="col">Recipient</th>
                  <th scope="col">Status</th>
                  {COLUMNS.map((c) => (
                    <th scope="col" aria-sort={ariaSort(c.key)} key={c.key} class={c.key === 'amount' ? 'num' : ''}>
                      <button type="button" class="sort" onClick={() => sortBy(c.key)}>
                        {c.label}
                        <span aria-hidden="true">{sort === c.key ? ' ▲' : sort === `-${c.key}` ? ' ▼' : ''}</span>
                      </button>
                    </th>
                  ))}
                  <th scope="col">Participant id</th>
                </tr>
              </thead>
              <tbody>
                {page.data.map((d) => (
                  <tr key={d.id}>
                    <td>
                      <a href={`#/payouts/${d.id}`}>{d.recipient_name}</a>
                      <div class="mono small">{d.id}</div>
                    </td>
                    <td>
                      <StatusBadge status={d.status} />
                      {d.attention.length > 0 && <span class="flag-note">needs attention</span>}
                    </td>
                    <td>{formatTime(d.created_at)}</td>
                    <td>{formatTime(d.updated_at)}</td>
                    <td class="num">{formatMoney(d.amount_cents)}</td>
                    <td class="mono small">{d.participant_unique_id1}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <nav class="pager" aria-label="Pages">
            {query.get('cursor') && <a href={withParams(query, {})}>First page</a>}
            {page.next_cursor && <a href={withParams(query, { cursor: page.next_cursor })}>Next page</a>}
          </nav>
        </>
      )}
    </>
  );
}

import { get } from '../api.js';
import { Empty, Pending, useAsync } from '../components/async.js';
import { DailyChart } from '../components/daily-chart.js';
import { formatDuration, formatMoney, formatPercent } from '../format.js';
import { useLiveRefresh } from '../live.js';
import { STATUSES, StatusBadge } from '../status.js';
import type { Overview } from '../types.js';

/** Bar length for the funnel: at most 8rem, for the step everything reached. */
const barRem = (reached: number, of: number) => (of === 0 ? 0 : (reached / of) * 8);

export function OverviewPage() {
  const state = useAsync(() => get<Overview>('/dashboard/overview'), []);
  useLiveRefresh(state.reload);
  const o = state.data;
  if (!o) return <Pending state={state} what="the overview" />;
  return (
    <>
      <h1>Overview</h1>
      <section aria-labelledby="by-status">
        <h2 id="by-status">Payouts by status</h2>
        <div class="cards">
          <div class="card total">
            <span class="label">All payouts</span>
            <span class="value">{o.total.count}</span>
            <span class="amount">{formatMoney(o.total.amount_cents)}</span>
          </div>
          {STATUSES.filter((s) => o.by_status[s]).map((s) => (
            <a class="card" href={`#/payouts?status=${s}`} key={s}>
              <StatusBadge status={s} />
              <span class="value">{o.by_status[s]!.count}</span>
              <span class="amount">{formatMoney(o.by_status[s]!.amount_cents)}</span>
            </a>
          ))}
        </div>
        {o.total.count === 0 && (
          <Empty>
            <p>
              No payouts yet. <a href="#/stage">Stage one</a> or send one through the API.
            </p>
          </Empty>
        )}
      </section>
      <div class="columns">
        <section aria-labelledby="funnel">
          <h2 id="funnel">Funnel</h2>
          <table class="funnel">
            <thead>
              <tr>
                <th scope="col">Step</th>
                <th scope="col">Reached</th>
                <th scope="col">From previous step</th>
              </tr>
            </thead>
            <tbody>
              {o.funnel.map((s) => (
                <tr key={s.step}>
                  <th scope="row">{s.step}</th>
                  <td>
                    <span class="bar" style={{ width: `${barRem(s.reached, o.funnel[0]!.reached)}rem` }} />
                    {s.reached}
                  </td>
                  <td>{formatPercent(s.conversion)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <p>
            Median time to fund:{' '}
            <strong data-testid="median-time-to-fund">{formatDuration(o.median_time_to_fund_ms)}</strong>
          </p>
        </section>
        <section aria-labelledby="per-day">
          <h2 id="per-day">Staged and funded per day</h2>
          <DailyChart days={o.per_day} />
        </section>
      </div>
      <section aria-labelledby="attention">
        <h2 id="attention">Needs attention</h2>
        {o.attention.length === 0 ? (
          <Empty>
            <p>Nothing needs attention: no bounced, held, exhausted, declined or retrying payouts.</p>
          </Empty>
        ) : (
          <table class="list">
            <thead>
              <tr>
                <th scope="col">Payout</th>
                <th scope="col">Status</th>
                <th scope="col">Amount</th>
                <th scope="col">Why</th>
              </tr>
            </thead>
            <tbody>
              {o.attention.map((d) => (
                <tr key={d.id}>
                  <td>
                    <a href={`#/payouts/${d.id}`}>{d.recipient_name}</a>
                    <div class="mono small">{d.id}</div>
                  </td>
                  <td>
                    <StatusBadge status={d.status} />
                  </td>
                  <td class="num">{formatMoney(d.amount_cents)}</td>
                  <td>
                    <ul class="flags">
                      {d.attention.map((f) => (
                        <li key={f.code}>
                          <strong>{f.code.replaceAll('_', ' ')}</strong>: {f.message}
                        </li>
                      ))}
                    </ul>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </>
  );
}

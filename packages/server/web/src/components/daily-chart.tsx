import { useEffect, useRef } from 'preact/hooks';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';

// Payouts staged and funded per day, drawn by uPlot (canvas, ~50 kB, no dependencies). The numbers
// are also in a table for screen readers and keyboard users.

export function DailyChart({ days }: { days: { day: string; staged: number; funded: number }[] }) {
  const host = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const element = host.current;
    if (!element) return;
    const xs = days.map((d) => Date.parse(`${d.day}T00:00:00Z`) / 1000);
    const plot = new uPlot(
      {
        width: Math.max(320, element.clientWidth),
        height: 220,
        scales: { x: { time: true } },
        axes: [{ stroke: '#333' }, { stroke: '#333', grid: { stroke: '#e3e3e3' } }],
        series: [
          {},
          { label: 'Staged', stroke: '#1f5fbf', width: 2, points: { show: true } },
          { label: 'Funded', stroke: '#1b7a3a', width: 2, dash: [6, 3], points: { show: true } },
        ],
      },
      [xs, days.map((d) => d.staged), days.map((d) => d.funded)],
      element,
    );
    const resize = () => plot.setSize({ width: Math.max(320, element.clientWidth), height: 220 });
    addEventListener('resize', resize);
    return () => {
      removeEventListener('resize', resize);
      plot.destroy();
    };
  }, [days]);
  return (
    <figure class="chart">
      <div ref={host} aria-hidden="true" />
      <figcaption>Payouts staged (solid blue) and funded (dashed green) per day, last 30 days (UTC)</figcaption>
      <details>
        <summary>Show the numbers</summary>
        <table>
          <thead>
            <tr>
              <th scope="col">Day</th>
              <th scope="col">Staged</th>
              <th scope="col">Funded</th>
            </tr>
          </thead>
          <tbody>
            {days.map((d) => (
              <tr key={d.day}>
                <td>{d.day}</td>
                <td>{d.staged}</td>
                <td>{d.funded}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </figure>
  );
}

/** The balances line chart: plain SVG, scaled to its points, with the first and last day and the range. */
import type { BalancePoint } from '../logic/accounts.js';
import { longDay, money, type Language } from './messages.js';

const W = 720;
const H = 200;
const PAD = { left: 8, right: 8, top: 12, bottom: 24 };

export function BalanceChart(props: { points: BalancePoint[]; language: Language; title: string }) {
  const { points, language } = props;
  if (points.length < 2) return null;
  const values = points.map((p) => p.balance);
  // Scaled to the values: a zero line only when the balance crosses it.
  const min = Math.min(...values);
  const max = Math.max(...values);
  const span = max - min || 1;
  const x = (i: number): number => PAD.left + (i / (points.length - 1)) * (W - PAD.left - PAD.right);
  const y = (v: number): number => PAD.top + (1 - (v - min) / span) * (H - PAD.top - PAD.bottom);
  const path = points.map((p, i) => `${i === 0 ? 'M' : 'L'}${x(i).toFixed(1)},${y(p.balance).toFixed(1)}`).join(' ');
  const first = points[0] as BalancePoint;
  const last = points[points.length - 1] as BalancePoint;
  return (
    <figure class="chart">
      <svg
        viewBox={`0 0 ${W} ${H}`}
        role="img"
        aria-label={`${props.title}: ${money(first.balance, language)} → ${money(last.balance, language)}`}
      >
        {min < 0 && max > 0 ? <line x1={PAD.left} x2={W - PAD.right} y1={y(0)} y2={y(0)} class="zero" /> : null}
        <path d={path} class="line" />
        <text x={PAD.left} y={H - 6} class="tick">
          {longDay(first.day, language)}
        </text>
        <text x={W - PAD.right} y={H - 6} class="tick" text-anchor="end">
          {longDay(last.day, language)}
        </text>
      </svg>
      <figcaption>
        {money(min, language)} – {money(max, language)}
      </figcaption>
    </figure>
  );
}

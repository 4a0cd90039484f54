/** Small pieces shared by the built-in apps' pages: page frame, states, SVG bar chart. */
import type { ComponentChildren } from 'preact';
import type { AppState } from './use-app.js';

export function Page<T>(props: {
  title: string;
  state: AppState<T>;
  text: { loading: string; error: string };
  children: (data: T) => ComponentChildren;
}) {
  const { state } = props;
  return (
    <main>
      <h1>{props.title}</h1>
      {state.status === 'loading' && <p role="status">{props.text.loading}</p>}
      {state.status === 'error' && (
        <p role="alert" class="error">
          {props.text.error} {state.message}
        </p>
      )}
      {state.status === 'ready' && props.children(state.data)}
    </main>
  );
}

export interface Bar {
  key: string;
  label: string;
  value: number;
  /** Shown on hover and read by screen readers. */
  title: string;
  highlight?: boolean;
}

/** A bar chart in SVG with its numbers in a title per bar; `label` describes the whole chart. */
export function BarChart(props: { bars: Bar[]; label: string; height?: number; every?: number }) {
  const height = props.height ?? 160;
  const width = Math.max(300, props.bars.length * 18);
  const max = Math.max(1e-9, ...props.bars.map((b) => b.value));
  const step = width / Math.max(1, props.bars.length);
  const every = props.every ?? Math.max(1, Math.ceil(props.bars.length / 12));
  return (
    <svg
      class="chart"
      viewBox={`0 0 ${width} ${height + 20}`}
      role="img"
      aria-label={props.label}
      preserveAspectRatio="none"
    >
      {props.bars.map((b, i) => {
        const h = (b.value / max) * height;
        return (
          <g key={b.key}>
            <rect
              x={i * step + step * 0.1}
              y={height - h}
              width={step * 0.8}
              height={h}
              class={b.highlight ? 'bar hl' : 'bar'}
            >
              <title>{b.title}</title>
            </rect>
            {i % every === 0 && (
              <text x={i * step + step / 2} y={height + 14} text-anchor="middle" class="tick">
                {b.label}
              </text>
            )}
          </g>
        );
      })}
    </svg>
  );
}

/** The few headline figures at the top of a page. */
export function Figures(props: { items: { value: string | number; label: string }[] }) {
  return (
    <div class="cards">
      {props.items.map((x) => (
        <div class="card" key={x.label}>
          <strong>{x.value}</strong> {x.label}
        </div>
      ))}
    </div>
  );
}

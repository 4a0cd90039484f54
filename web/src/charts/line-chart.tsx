/**
 * A line over time (the electricity load curve), zoomable: the page owns the range and asks the
 * API for the resolution that fits it; this draws what it gets. Focus the chart and use + and −
 * to zoom, ← and → to move; the buttons beside it do the same.
 */
import type { JSX } from 'preact';
import { useRef } from 'preact/hooks';
import { linear, niceTicks, sparseIndexes } from './scale.js';
import { useWidth } from './use-width.js';

export interface LinePoint {
  /** Epoch milliseconds. */
  x: number;
  y: number;
}

export interface LineChartProps {
  title: string;
  points: LinePoint[];
  xFormat: (ms: number) => string;
  yFormat: (v: number) => string;
  onZoom?: (factor: number) => void;
  onPan?: (fraction: number) => void;
  height?: number;
  id?: string;
}

const PAD = { top: 10, right: 24, bottom: 26, left: 60 };

export function LineChart(props: LineChartProps) {
  const wrap = useRef<HTMLDivElement>(null);
  const width = useWidth(wrap);
  const height = props.height ?? 240;
  const pts = props.points;
  const x0 = pts[0]?.x ?? 0;
  const x1 = pts[pts.length - 1]?.x ?? 1;
  const ticks = niceTicks(0, Math.max(0, ...pts.map((p) => p.y)));
  const x = linear(x0, x1 === x0 ? x0 + 1 : x1, PAD.left, width - PAD.right);
  const y = linear(0, ticks[ticks.length - 1] ?? 1, height - PAD.bottom, PAD.top);
  // Break the line where points are missing (more than twice the usual step apart).
  const step = pts.length > 1 ? (x1 - x0) / (pts.length - 1) : 0;
  let d = '';
  pts.forEach((p, i) => {
    const gap = i === 0 || p.x - pts[i - 1]!.x > step * 2.5;
    d += `${gap ? 'M' : 'L'}${x(p.x).toFixed(1)},${y(p.y).toFixed(1)}`;
  });
  const labels = sparseIndexes(pts.length, Math.max(2, Math.floor((width - PAD.left) / 110)));

  const onKeyDown = (e: JSX.TargetedKeyboardEvent<HTMLElement>) => {
    const action: Record<string, () => void> = {
      '+': () => props.onZoom?.(0.5),
      '=': () => props.onZoom?.(0.5),
      '-': () => props.onZoom?.(2),
      ArrowLeft: () => props.onPan?.(-0.5),
      ArrowRight: () => props.onPan?.(0.5),
    };
    const run = action[e.key];
    if (run) {
      e.preventDefault();
      run();
    }
  };

  return (
    <figure class="chart" id={props.id}>
      <figcaption class="chart-title">{props.title}</figcaption>
      <div
        ref={wrap}
        class="chart-canvas"
        tabIndex={props.onZoom ? 0 : undefined}
        onKeyDown={props.onZoom ? onKeyDown : undefined}
        role={props.onZoom ? 'group' : undefined}
        aria-label={props.onZoom ? props.title : undefined}
      >
        <svg width={width} height={height} role="img" aria-label={props.title} class="chart-svg">
          {ticks.map((t) => (
            <g key={t}>
              <line x1={PAD.left} x2={width - PAD.right} y1={y(t)} y2={y(t)} class="chart-grid" />
              <text x={PAD.left - 6} y={y(t) + 4} text-anchor="end" class="chart-tick">
                {props.yFormat(t)}
              </text>
            </g>
          ))}
          <path d={d} class="chart-line" fill="none" />
          {labels.map((i) => (
            <text key={i} x={x(pts[i]!.x)} y={height - 8} text-anchor="middle" class="chart-tick">
              {props.xFormat(pts[i]!.x)}
            </text>
          ))}
          <line x1={PAD.left} x2={width - PAD.right} y1={y(0)} y2={y(0)} class="chart-axis" />
        </svg>
      </div>
    </figure>
  );
}

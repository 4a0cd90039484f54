/**
 * Bars per key (month, day), stacked when there are several series: housing costs per category,
 * consumption per day, accesses per grantee. Plain SVG at the container's width; colours come
 * with a legend and every bar has its figures in a tooltip (`<title>`); the page keeps a table of
 * the same figures for screen readers and keyboard users. Keys can be marked (a leak day, a day
 * with denied accesses): the bar gets a hatched outline and the legend says what the mark means.
 */
import { useRef } from 'preact/hooks';
import { linear, niceTicks, sparseIndexes } from './scale.js';
import { useWidth } from './use-width.js';

export interface BarSeries {
  id: string;
  label: string;
  color: string;
}

export interface BarChartProps {
  /** Says what the chart shows (its caption and accessible name). */
  title: string;
  keys: string[];
  /** Short label under the axis. */
  keyLabel: (key: string) => string;
  /** Long label in the tooltip. */
  keyTitle?: (key: string) => string;
  series: BarSeries[];
  /** values[key index][series index]; null is no data. */
  values: (number | null)[][];
  format: (value: number) => string;
  marked?: boolean[];
  markLabel?: string;
  height?: number;
  /** An id for the figure (tests and links). */
  id?: string;
}

const PAD = { top: 10, right: 20, bottom: 26, left: 56 };

export function BarChart(props: BarChartProps) {
  const wrap = useRef<HTMLDivElement>(null);
  const width = useWidth(wrap);
  const height = props.height ?? 220;
  const totals = props.values.map((row) => row.reduce<number>((a, v) => a + (v ?? 0), 0));
  const ticks = niceTicks(0, Math.max(0, ...totals));
  const top = ticks[ticks.length - 1] ?? 1;
  const y = linear(0, top, height - PAD.bottom, PAD.top);
  const plotWidth = width - PAD.left - PAD.right;
  const slot = plotWidth / Math.max(1, props.keys.length);
  const barWidth = Math.max(1, slot * (props.keys.length > 40 ? 0.85 : 0.7));
  const labelled = new Set(sparseIndexes(props.keys.length, Math.max(2, Math.floor(plotWidth / 56))));

  return (
    <figure class="chart" id={props.id}>
      <figcaption class="chart-title">{props.title}</figcaption>
      <div ref={wrap} class="chart-canvas">
        <svg width={width} height={height} role="img" aria-label={props.title} class="chart-svg">
          {ticks.map((t) => (
            <g key={t}>
              <line x1={PAD.left} x2={width - PAD.right} y1={y(t)} y2={y(t)} class="chart-grid" />
              <text x={PAD.left - 6} y={y(t) + 4} text-anchor="end" class="chart-tick">
                {props.format(t)}
              </text>
            </g>
          ))}
          {props.keys.map((key, i) => {
            const x = PAD.left + i * slot + (slot - barWidth) / 2;
            let base = 0;
            const row = props.values[i] ?? [];
            const tip = [
              props.keyTitle ? props.keyTitle(key) : props.keyLabel(key),
              ...props.series.map((s, j) => `${s.label}: ${row[j] == null ? '–' : props.format(row[j]!)}`),
              ...(props.marked?.[i] && props.markLabel ? [props.markLabel] : []),
            ].join('\n');
            return (
              <g key={key} class={props.marked?.[i] ? 'chart-bar marked' : 'chart-bar'}>
                <title>{tip}</title>
                {props.series.map((s, j) => {
                  const v = row[j] ?? 0;
                  if (v <= 0) return null;
                  const y0 = y(base);
                  base += v;
                  const y1 = y(base);
                  return (
                    <rect key={s.id} x={x} y={y1} width={barWidth} height={Math.max(0.5, y0 - y1)} fill={s.color} />
                  );
                })}
                {props.marked?.[i] && (
                  <rect
                    x={x - 1}
                    y={PAD.top}
                    width={barWidth + 2}
                    height={height - PAD.bottom - PAD.top}
                    class="chart-mark"
                  />
                )}
                {/* A transparent full-height target so thin bars still show their tooltip. */}
                <rect
                  x={PAD.left + i * slot}
                  y={PAD.top}
                  width={slot}
                  height={height - PAD.bottom - PAD.top}
                  fill="transparent"
                />
                {labelled.has(i) && (
                  <text x={x + barWidth / 2} y={height - 8} text-anchor="middle" class="chart-tick">
                    {props.keyLabel(key)}
                  </text>
                )}
              </g>
            );
          })}
          <line x1={PAD.left} x2={width - PAD.right} y1={y(0)} y2={y(0)} class="chart-axis" />
        </svg>
      </div>
      {(props.series.length > 1 || props.markLabel) && (
        <ul class="chart-legend">
          {props.series.length > 1 &&
            props.series.map((s) => (
              <li key={s.id}>
                <svg width="12" height="12" aria-hidden="true">
                  <rect width="12" height="12" fill={s.color} />
                </svg>
                {s.label}
              </li>
            ))}
          {props.markLabel && props.marked?.some(Boolean) && (
            <li>
              <svg width="12" height="12" aria-hidden="true">
                <rect x="1" y="1" width="10" height="10" class="chart-mark" />
              </svg>
              {props.markLabel}
            </li>
          )}
        </ul>
      )}
    </figure>
  );
}

/**
 * A table for large collections: only the rows in view (plus a few) are in the page, between two
 * spacer rows that keep the scroll height of the whole list, so 100,000 rows scroll as cheaply as
 * 30. Rows have a fixed height. It stays a real <table> (header cells, sort state in aria-sort,
 * aria-rowcount / aria-rowindex for the rows not rendered) inside a scrollable, focusable region.
 */
import type { ComponentChildren } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { useT } from '../i18n/i18n.js';
import { formatNumber } from '../i18n/format.js';
import { useLocale } from '../i18n/i18n.js';
import * as messages from './messages.js';

export const ROW_HEIGHT = 36;
const OVERSCAN = 4;

export interface TableColumn {
  key: string;
  label: string;
  numeric?: boolean;
}

export interface DataTableProps {
  caption: string;
  columns: TableColumn[];
  /** Rows in the current view (filtered and sorted). */
  count: number;
  /** The text of a cell, by position in the view and column. */
  cell: (position: number, column: number) => string;
  rowKey: (position: number) => string;
  /** The first cell's link (a record's detail). */
  rowHref?: (position: number) => string;
  renderLink?: (href: string, text: string) => ComponentChildren;
  sort: { key: string; direction: 'asc' | 'desc' } | null;
  onSort?: (key: string) => void;
  selected?: (position: number) => boolean;
  onToggle?: (position: number) => void;
  selectLabel?: (position: number) => string;
  height?: number;
}

export function DataTable(props: DataTableProps) {
  const t = useT(messages);
  const { locale } = useLocale();
  const box = useRef<HTMLDivElement>(null);
  const [scrollTop, setScrollTop] = useState(0);
  const frame = useRef(0);
  // Short lists take only their own height.
  const height = Math.min(props.height ?? 520, (props.count + 2) * ROW_HEIGHT + 24);

  // A new view (filter, sort) starts at its top.
  useEffect(() => {
    if (box.current) box.current.scrollTop = 0;
    setScrollTop(0);
  }, [props.count, props.sort?.key, props.sort?.direction]);

  const onScroll = () => {
    if (frame.current) return;
    frame.current = requestAnimationFrame(() => {
      frame.current = 0;
      setScrollTop(box.current?.scrollTop ?? 0);
    });
  };

  const first = Math.max(0, Math.floor(scrollTop / ROW_HEIGHT) - OVERSCAN);
  const visible = Math.ceil(height / ROW_HEIGHT) + 2 * OVERSCAN;
  const last = Math.min(props.count, first + visible);
  const positions: number[] = [];
  for (let p = first; p < last; p++) positions.push(p);
  const selectable = Boolean(props.onToggle);
  const span = props.columns.length + (selectable ? 1 : 0);

  return (
    <div>
      <div
        ref={box}
        class="vtable"
        style={{ height: `${height}px` }}
        tabIndex={0}
        role="region"
        aria-label={props.caption}
        onScroll={onScroll}
      >
        <table class="table vtable-table" aria-rowcount={props.count + 1}>
          <caption class="visually-hidden">{props.caption}</caption>
          <thead>
            <tr aria-rowindex={1}>
              {selectable && (
                <th scope="col" class="select-cell">
                  <span class="visually-hidden">✓</span>
                </th>
              )}
              {props.columns.map((c) => {
                const sorted = props.sort?.key === c.key ? props.sort.direction : null;
                return (
                  <th
                    key={c.key}
                    scope="col"
                    class={c.numeric ? 'num' : undefined}
                    aria-sort={sorted === 'asc' ? 'ascending' : sorted === 'desc' ? 'descending' : undefined}
                  >
                    {props.onSort ? (
                      <button type="button" class="sort-button" onClick={() => props.onSort!(c.key)}>
                        {c.label}
                        <span aria-hidden="true">{sorted === 'asc' ? ' ▲' : sorted === 'desc' ? ' ▼' : ''}</span>
                      </button>
                    ) : (
                      c.label
                    )}
                  </th>
                );
              })}
            </tr>
          </thead>
          <tbody>
            {first > 0 && (
              <tr aria-hidden="true" class="spacer">
                <td colSpan={span} style={{ height: `${first * ROW_HEIGHT}px` }} />
              </tr>
            )}
            {positions.map((p) => (
              // Keyed by slot, not by record: scrolling reuses the same rows and only changes
              // their text, instead of building new ones on every frame.
              <tr
                key={p % visible}
                data-key={props.rowKey(p)}
                aria-rowindex={p + 2}
                class={props.selected?.(p) ? 'row-selected' : undefined}
              >
                {selectable && (
                  <td class="select-cell">
                    <input
                      type="checkbox"
                      checked={props.selected?.(p) ?? false}
                      aria-label={props.selectLabel?.(p) ?? String(p + 1)}
                      onChange={() => props.onToggle!(p)}
                    />
                  </td>
                )}
                {props.columns.map((c, ci) => {
                  const text = props.cell(p, ci);
                  const href = ci === 0 ? props.rowHref?.(p) : undefined;
                  return (
                    <td key={c.key} class={c.numeric ? 'num' : undefined} title={text}>
                      {href && props.renderLink ? props.renderLink(href, text || '—') : text}
                    </td>
                  );
                })}
              </tr>
            ))}
            {last < props.count && (
              <tr aria-hidden="true" class="spacer">
                <td colSpan={span} style={{ height: `${(props.count - last) * ROW_HEIGHT}px` }} />
              </tr>
            )}
          </tbody>
        </table>
        {props.count === 0 && <p class="state">{t('noRows')}</p>}
      </div>
      <p class="help" role="status">
        {props.count > 0 &&
          t('showing', {
            from: formatNumber(locale, Math.min(props.count, Math.floor(scrollTop / ROW_HEIGHT) + 1)),
            to: formatNumber(locale, Math.min(props.count, Math.floor((scrollTop + height) / ROW_HEIGHT))),
            total: formatNumber(locale, props.count),
          })}
      </p>
    </div>
  );
}

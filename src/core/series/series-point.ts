import type { SeriesPointWrite } from '../../storage/document-store.js';
import type { SeriesSpec } from '../catalog/doctype.js';
import { toJsonText } from '../documents/json-text.js';
import { localDay, localMidnight } from '../time/time-zone.js';

/**
 * A validated point as the store keeps it: its instant, local day (in the space's zone `tz`),
 * main value and stream, taken from the fields its doctype names. `where` names it in errors.
 */
export function toPointWrite(
  series: SeriesSpec,
  point: Record<string, unknown>,
  tz: string,
  grant: string | null,
  where: string,
): SeriesPointWrite {
  const time = point[series.time.field] as string;
  const t = series.time.format === 'date' ? localMidnight(time, tz) : Date.parse(time);
  const value = series.value === null ? null : (point[series.value] as number | undefined);
  const stream = series.stream === null ? 'default' : String(point[series.stream] ?? 'default');
  return {
    stream,
    t,
    day: series.time.format === 'date' ? time : localDay(t, tz),
    value: typeof value === 'number' ? value : null,
    data: toJsonText(point, where),
    grant,
  };
}

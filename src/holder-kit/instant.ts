/** RFC 3339 instants with a zone ("Z" or an offset), as `since` and `updatedAt` are written. */
const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/i;

/** Epoch ms, or undefined for anything else (Date.parse would roll 30 February over to March). */
export function parseInstant(text: string): number | undefined {
  if (!INSTANT.test(text)) return undefined;
  const ms = Date.parse(text);
  if (Number.isNaN(ms)) return undefined;
  const [y, m, d] = text.slice(0, 10).split('-').map(Number) as [number, number, number];
  const [hh, mm, ss] = text.slice(11, 19).split(':').map(Number) as [number, number, number];
  const day = new Date(Date.UTC(y, m - 1, d));
  if (day.getUTCMonth() !== m - 1 || day.getUTCDate() !== d || hh > 23 || mm > 59 || ss > 59) return undefined;
  return ms;
}

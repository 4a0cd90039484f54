/**
 * The first day a connector's first run (or backfill) asks a holder for: three years back from
 * today, as the holders count their history (the same calendar day; 29 February rolls to 1 March).
 */
export const HISTORY_YEARS = 3;

export function historyStart(today: string): string {
  const [y, m, d] = today.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y - HISTORY_YEARS, m - 1, d)).toISOString().slice(0, 10);
}

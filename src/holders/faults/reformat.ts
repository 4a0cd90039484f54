/**
 * The "changed field format" fault: what a holder's silent API change looks like. ISO dates become
 * French dates (2024-03-01 → 01/03/2024), date-times lose their zone, and numbers, including
 * numbers already sent as strings, become strings with a decimal comma.
 */
const isoDate = /^(\d{4})-(\d{2})-(\d{2})$/;
const isoDateTime = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})$/;
const numeric = /^-?\d+(\.\d+)?$/;

function reformatString(s: string): string {
  const d = isoDate.exec(s);
  if (d) return `${d[3]}/${d[2]}/${d[1]}`;
  const t = isoDateTime.exec(s);
  if (t) return `${t[3]}/${t[2]}/${t[1]} ${t[4]}h${t[5]}`;
  if (numeric.test(s)) return s.replace('.', ',');
  return s;
}

export function reformat(value: unknown): unknown {
  if (typeof value === 'string') return reformatString(value);
  if (typeof value === 'number') return String(value).replace('.', ',');
  if (Array.isArray(value)) return value.map(reformat);
  if (value !== null && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, reformat(v)]));
  return value;
}

/**
 * Column and header labels compared the way people read them: without accents, case or extra
 * spaces, and repaired when a UTF-8 file went through a Latin-1 editor ("DonnÃ©es" is "Données").
 */
export function labelKey(text: string): string {
  let t = text.replace(/^\uFEFF/, '').trim();
  if (/[ÃÂ][\u0080-\u00ff]/.test(t)) {
    const repaired = Buffer.from(t, 'latin1').toString('utf8');
    if (!repaired.includes('\uFFFD')) t = repaired;
  }
  return t
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^\S\t]+/g, ' ')
    .trim();
}

/** The 14-digit delivery point id (PRM/PDL/PCE) in `text`, spaces allowed between digit groups. */
export function usagePointIdIn(text: string): string | undefined {
  const digits = text.replace(/[\s\u00a0]/g, '');
  return /^\d{14}$/.test(digits) ? digits : undefined;
}

/** The first lines of a sample as label keys, for detection line by line. */
export function headLines(text: string, count = 40): string[] {
  return text.split(/\r\n|\n|\r/, count).map(labelKey);
}

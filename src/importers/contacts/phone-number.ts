/**
 * Phone numbers as address books hold them (`06 12 34 56 78`, `+33 (0)6 12 34 56 78`,
 * `0033612345678`, `tel:+33-6-12-34-56-78`, `(415) 555-0134`) into E.164 (`+33612345678`), which
 * `contact.phones[].number` requires. International forms convert alone; national forms need the
 * country, taken from the space's time zone (Europe/Paris: France). French national numbers of the
 * overseas departments (0262, 0692, 0590, 0690...) get their own country codes, as dialling does.
 */

export interface DialPlan {
  /** Country calling code, e.g. `33`. */
  code: string;
  /** Trunk prefix dropped before the code (`0` in most of Europe), '' where the national number keeps it. */
  trunk: '0' | '';
  /** Digits of the national significant number (after the trunk prefix). */
  min: number;
  max: number;
  /** North American numbering: 10 digits, optional leading 1, `011` international prefix. */
  nanp?: boolean;
}

const FRANCE: DialPlan = { code: '33', trunk: '0', min: 9, max: 9 };
const NANP: DialPlan = { code: '1', trunk: '', min: 10, max: 10, nanp: true };

const PLANS: Record<string, DialPlan> = {
  'Europe/Paris': FRANCE,
  'Europe/Monaco': { code: '377', trunk: '', min: 8, max: 9 },
  'Europe/Brussels': { code: '32', trunk: '0', min: 8, max: 9 },
  'Europe/Luxembourg': { code: '352', trunk: '', min: 4, max: 11 },
  'Europe/Zurich': { code: '41', trunk: '0', min: 9, max: 9 },
  'Europe/Berlin': { code: '49', trunk: '0', min: 5, max: 13 },
  'Europe/Vienna': { code: '43', trunk: '0', min: 4, max: 13 },
  'Europe/London': { code: '44', trunk: '0', min: 9, max: 10 },
  'Europe/Dublin': { code: '353', trunk: '0', min: 7, max: 9 },
  'Europe/Amsterdam': { code: '31', trunk: '0', min: 9, max: 9 },
  'Europe/Madrid': { code: '34', trunk: '', min: 9, max: 9 },
  'Europe/Lisbon': { code: '351', trunk: '', min: 9, max: 9 },
  'Europe/Rome': { code: '39', trunk: '', min: 6, max: 11 },
  'Indian/Reunion': { code: '262', trunk: '0', min: 9, max: 9 },
  'Indian/Mayotte': { code: '262', trunk: '0', min: 9, max: 9 },
  'America/Guadeloupe': { code: '590', trunk: '0', min: 9, max: 9 },
  'America/Martinique': { code: '596', trunk: '0', min: 9, max: 9 },
  'America/Cayenne': { code: '594', trunk: '0', min: 9, max: 9 },
  'Pacific/Noumea': { code: '687', trunk: '', min: 6, max: 6 },
  'Pacific/Tahiti': { code: '689', trunk: '', min: 8, max: 8 },
  'America/New_York': NANP,
  'America/Chicago': NANP,
  'America/Denver': NANP,
  'America/Phoenix': NANP,
  'America/Los_Angeles': NANP,
  'America/Anchorage': NANP,
  'Pacific/Honolulu': NANP,
  'America/Toronto': NANP,
  'America/Montreal': NANP,
  'America/Vancouver': NANP,
  'America/Edmonton': NANP,
  'America/Winnipeg': NANP,
  'America/Halifax': NANP,
};

/** French national prefixes (first 4 digits) that belong to the overseas departments' own codes. */
const FRENCH_OVERSEAS: Record<string, string> = {
  '0262': '262',
  '0263': '262',
  '0269': '262',
  '0639': '262',
  '0692': '262',
  '0693': '262',
  '0590': '590',
  '0690': '590',
  '0691': '590',
  '0596': '596',
  '0696': '596',
  '0697': '596',
  '0594': '594',
  '0694': '594',
};

export function dialPlanFor(timeZone: string): DialPlan | undefined {
  return PLANS[timeZone];
}

const E164 = /^\+[1-9][0-9]{6,14}$/;

/** The number in E.164 form, or undefined when it cannot be written so (short numbers, letters, no country). */
export function toE164(raw: string, plan: DialPlan | undefined): string | undefined {
  let text = raw.trim().replace(/^tel:/i, '');
  // URI parameters (`;ext=12`), pauses (`,` `;`) and written extensions are not part of the number.
  text = text.split(/[;,]/)[0]!;
  text = text.replace(/\s*(?:ext\.?|extension|x|poste|#)\s*\d+\s*$/i, '');
  // "+33 (0)6 12 34 56 78": the trunk prefix in brackets is not dialled from abroad.
  if (/^\s*(?:\+|00)/.test(text)) text = text.replace(/\(\s*0\s*\)/g, '');
  const compact = text.replace(/[\s.\-()/\u00a0\u202f]/g, '');
  if (!/^\+?[0-9]+$/.test(compact)) return undefined;
  let international: string | undefined;
  if (compact.startsWith('+')) international = compact.slice(1);
  else if (compact.startsWith('00')) international = compact.slice(2);
  else if (plan?.nanp && compact.startsWith('011')) international = compact.slice(3);
  if (international !== undefined) {
    const out = `+${international}`;
    return E164.test(out) ? out : undefined;
  }
  if (!plan) return undefined;
  let national = compact;
  if (plan.nanp) {
    if (national.length === 11 && national.startsWith('1')) national = national.slice(1);
    return national.length === 10 && /^[2-9]/.test(national) ? `+1${national}` : undefined;
  }
  let code = plan.code;
  if (plan === FRANCE && national.length === 10) code = FRENCH_OVERSEAS[national.slice(0, 4)] ?? code;
  if (plan.trunk) {
    if (!national.startsWith(plan.trunk)) return undefined;
    national = national.slice(plan.trunk.length);
  }
  if (national.length < plan.min || national.length > plan.max) return undefined;
  const out = `+${code}${national}`;
  return E164.test(out) ? out : undefined;
}

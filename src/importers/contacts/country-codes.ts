/**
 * Country names as address books write them (`France`, `FRANCE`, `Allemagne`, `Deutschland`,
 * `United States of America`, `USA`, `fr`) into ISO 3166-1 alpha-2 codes, which
 * `contact.addresses[].country` requires. Names come from Intl (CLDR) in the languages French
 * households' address books are written in, plus the usual abbreviations and former names.
 * The table is built on first use, once per import.
 */

const LOCALES = ['en', 'fr', 'de', 'es', 'it', 'nl', 'pt'];
/**
 * Region codes that are not ISO 3166-1 countries today: groupings (European Union, United
 * Nations...), exceptional reservations (Canary Islands...) and former countries (East Germany,
 * Yugoslavia...), which CLDR still names and which would otherwise take "Allemagne" from DE.
 */
const NOT_COUNTRIES = new Set([
  ...['EU', 'EZ', 'UN', 'QO', 'ZZ', 'XA', 'XB'],
  ...['AC', 'CP', 'DG', 'EA', 'IC', 'TA'],
  ...['AN', 'BU', 'CS', 'DD', 'FX', 'NT', 'SU', 'TP', 'YD', 'YU', 'ZR'],
]);

/** The names most address books hold, answered without building the full table. */
const COMMON: Record<string, string> = {
  fr: 'FR',
  france: 'FR',
  belgique: 'BE',
  belgium: 'BE',
  suisse: 'CH',
  switzerland: 'CH',
  schweiz: 'CH',
  luxembourg: 'LU',
  monaco: 'MC',
  allemagne: 'DE',
  germany: 'DE',
  deutschland: 'DE',
  espagne: 'ES',
  spain: 'ES',
  espana: 'ES',
  italie: 'IT',
  italy: 'IT',
  italia: 'IT',
  portugal: 'PT',
  'pays bas': 'NL',
  netherlands: 'NL',
  'royaume uni': 'GB',
  'united kingdom': 'GB',
  'etats unis': 'US',
  'united states': 'US',
  canada: 'CA',
  maroc: 'MA',
  algerie: 'DZ',
  tunisie: 'TN',
};

const ALIASES: Record<string, string> = {
  usa: 'US',
  'u s a': 'US',
  'u s': 'US',
  'united states of america': 'US',
  'etats unis d amerique': 'US',
  uk: 'GB',
  'u k': 'GB',
  'great britain': 'GB',
  'grande bretagne': 'GB',
  england: 'GB',
  angleterre: 'GB',
  scotland: 'GB',
  ecosse: 'GB',
  wales: 'GB',
  'northern ireland': 'GB',
  holland: 'NL',
  hollande: 'NL',
  'the netherlands': 'NL',
  'czech republic': 'CZ',
  'republique tcheque': 'CZ',
  turkey: 'TR',
  turquie: 'TR',
  'ivory coast': 'CI',
  'cote d ivoire': 'CI',
  burma: 'MM',
  swaziland: 'SZ',
  macedonia: 'MK',
  russia: 'RU',
  fra: 'FR',
  deu: 'DE',
  gbr: 'GB',
  bel: 'BE',
  che: 'CH',
  esp: 'ES',
  ita: 'IT',
  nld: 'NL',
  lux: 'LU',
  can: 'CA',
  prt: 'PT',
  aut: 'AT',
  irl: 'IE',
  mar: 'MA',
  dza: 'DZ',
  tun: 'TN',
};

function key(name: string): string {
  return name
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, ' ')
    .trim()
    .replace(/^the /, '');
}

export interface CountryMatcher {
  /** The ISO code of a country name or code, or undefined. */
  code(name: string): string | undefined;
}

export function createCountryMatcher(): CountryMatcher {
  let names: Map<string, string> | undefined;
  const build = (): Map<string, string> => {
    const table = new Map<string, string>();
    const displays = LOCALES.map((l) => new Intl.DisplayNames([l], { type: 'region', fallback: 'code' }));
    for (let a = 65; a <= 90; a++) {
      for (let b = 65; b <= 90; b++) {
        const code = String.fromCharCode(a, b);
        if (NOT_COUNTRIES.has(code)) continue;
        for (const display of displays) {
          const name = display.of(code);
          if (name === undefined || name === code) continue;
          table.set(code.toLowerCase(), code);
          const k = key(name);
          if (k && !table.has(k)) table.set(k, code);
        }
      }
    }
    return table;
  };
  return {
    code(name) {
      const k = key(name);
      if (!k) return undefined;
      const common = COMMON[k] ?? ALIASES[k];
      if (common) return common;
      names ??= build();
      return names.get(k);
    },
  };
}

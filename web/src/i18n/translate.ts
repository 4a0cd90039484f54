/** Translation without the UI: locales, dictionaries, interpolation (testable under Node). */
export type Locale = 'en' | 'fr';
export const LOCALES: readonly Locale[] = ['en', 'fr'];

export type Dictionary = Record<string, string>;
export interface Messages<D extends Dictionary> {
  en: D;
  fr: D;
}
export type Vars = Record<string, string | number>;
export type Translate<D extends Dictionary> = (key: keyof D & string, vars?: Vars) => string;

export function interpolate(text: string, vars?: Vars): string {
  if (!vars) return text;
  return text.replace(/\{(\w+)\}/g, (whole, name: string) => (name in vars ? String(vars[name]) : whole));
}

export function translator<D extends Dictionary>(messages: Messages<D>, locale: Locale): Translate<D> {
  const dict = messages[locale];
  return (key, vars) => interpolate(dict[key] ?? messages.en[key] ?? key, vars);
}

/** The locale a first visit gets: the one saved, else the browser's (French or English). */
export function initialLocale(saved: string | null, languages: readonly string[]): Locale {
  if (saved === 'en' || saved === 'fr') return saved;
  for (const language of languages) {
    const base = language.toLowerCase().slice(0, 2);
    if (base === 'fr' || base === 'en') return base;
  }
  return 'en';
}

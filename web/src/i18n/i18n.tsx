/**
 * French and English. Each feature keeps its words in its own `messages.ts` (`{ en, fr }`, the
 * French typed after the English so no key is missing) and asks for them with `useT(messages)`;
 * the shell only holds the chosen locale. Messages interpolate `{name}` placeholders.
 */
import { createContext } from 'preact';
import type { ComponentChildren } from 'preact';
import { useContext, useMemo } from 'preact/hooks';

export type Locale = 'en' | 'fr';
export const LOCALES: readonly Locale[] = ['en', 'fr'];

export type Dictionary = Record<string, string>;
export interface Messages<D extends Dictionary> {
  en: D;
  fr: D;
}
export type Vars = Record<string, string | number>;
export type Translate<D extends Dictionary> = (key: keyof D & string, vars?: Vars) => string;

interface LocaleState {
  locale: Locale;
  setLocale: (locale: Locale) => void;
}

const LocaleContext = createContext<LocaleState>({ locale: 'en', setLocale: () => {} });

export function LocaleProvider(props: { value: LocaleState; children: ComponentChildren }) {
  return <LocaleContext.Provider value={props.value}>{props.children}</LocaleContext.Provider>;
}

export const useLocale = (): LocaleState => useContext(LocaleContext);

export function interpolate(text: string, vars?: Vars): string {
  if (!vars) return text;
  return text.replace(/\{(\w+)\}/g, (whole, name: string) => (name in vars ? String(vars[name]) : whole));
}

export function translator<D extends Dictionary>(messages: Messages<D>, locale: Locale): Translate<D> {
  const dict = messages[locale];
  return (key, vars) => interpolate(dict[key] ?? messages.en[key] ?? key, vars);
}

export function useT<D extends Dictionary>(messages: Messages<D>): Translate<D> {
  const { locale } = useLocale();
  return useMemo(() => translator(messages, locale), [messages, locale]);
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

/**
 * French and English. Each feature keeps its words in its own `messages.ts` (`{ en, fr }`, the
 * French typed after the English so no key is missing) and asks for them with `useT(messages)`;
 * the shell only holds the chosen locale. Messages interpolate `{name}` placeholders.
 */
import { createContext } from 'preact';
import type { ComponentChildren } from 'preact';
import { useContext, useMemo } from 'preact/hooks';
import { translator, type Dictionary, type Locale, type Messages, type Translate } from './translate.js';

export * from './translate.js';

interface LocaleState {
  locale: Locale;
  setLocale: (locale: Locale) => void;
}

const LocaleContext = createContext<LocaleState>({ locale: 'en', setLocale: () => {} });

export function LocaleProvider(props: { value: LocaleState; children: ComponentChildren }) {
  return <LocaleContext.Provider value={props.value}>{props.children}</LocaleContext.Provider>;
}

export const useLocale = (): LocaleState => useContext(LocaleContext);

export function useT<D extends Dictionary>(messages: Messages<D>): Translate<D> {
  const { locale } = useLocale();
  return useMemo(() => translator(messages, locale), [messages, locale]);
}

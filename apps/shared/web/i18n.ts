/** The two languages of the built-in apps' pages, and number and date formatting in each. */
export type Lang = 'en' | 'fr';

export type Dict<K extends string> = Record<Lang, Record<K, string>>;

export function formatter(lang: Lang) {
  const locale = lang === 'fr' ? 'fr-FR' : 'en-GB';
  const number = (digits: number) =>
    new Intl.NumberFormat(locale, { maximumFractionDigits: digits, minimumFractionDigits: digits });
  const n0 = number(0);
  const n1 = number(1);
  const n2 = number(2);
  const euro = new Intl.NumberFormat(locale, { style: 'currency', currency: 'EUR' });
  const monthName = new Intl.DateTimeFormat(locale, { month: 'short', year: 'numeric', timeZone: 'UTC' });
  const dayName = new Intl.DateTimeFormat(locale, { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' });
  return {
    n0: (x: number) => n0.format(x),
    n1: (x: number) => n1.format(x),
    n2: (x: number) => n2.format(x),
    euro: (x: number) => euro.format(x),
    percent: (x: number) => `${x > 0 ? '+' : ''}${n1.format(x * 100)} %`,
    month: (m: string) => monthName.format(new Date(`${m}-01T00:00:00Z`)),
    day: (d: string) => dayName.format(new Date(`${d.slice(0, 10)}T00:00:00Z`)),
  };
}

export type Format = ReturnType<typeof formatter>;

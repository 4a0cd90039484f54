/** The catalog's doctypes (titles in both languages), for naming data the way people say it. */
import type { Locale } from '../i18n/i18n.js';
import type { Api } from './client.js';
import type { DoctypeInfo } from './types.js';

export type DoctypeTitles = ReadonlyMap<string, DoctypeInfo>;

export async function loadDoctypes(api: Api): Promise<DoctypeTitles> {
  const { doctypes } = await api.get<{ doctypes: DoctypeInfo[] }>('/api/doctypes');
  return new Map(doctypes.map((d) => [d.name, d]));
}

export const doctypeTitle = (doctypes: DoctypeTitles | undefined, name: string, locale: Locale): string =>
  doctypes?.get(name)?.title[locale] ?? name;

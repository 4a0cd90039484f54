/** "Français" / "English": the other language, for the screens outside the layout (first run, login). */
import { useLocale } from '../i18n/i18n.js';

export function LanguageSwitch() {
  const { locale, setLocale } = useLocale();
  const other = locale === 'en' ? 'fr' : 'en';
  return (
    <p class="language-switch">
      <button type="button" class="button-link" lang={other} onClick={() => setLocale(other)}>
        {other === 'fr' ? 'Français' : 'English'}
      </button>
    </p>
  );
}

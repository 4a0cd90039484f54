/**
 * The frame around every screen once logged in: a skip link, the header (name, language, sessions,
 * log out), the main navigation (a menu button folds it on phone-width screens) and the page.
 */
import type { ComponentChildren } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { useLocale, useT } from '../i18n/i18n.js';
import { useApp } from './app-context.js';
import * as messages from './messages.js';
import { navigation } from './routes.js';
import { Link, useRouter } from './router.js';

export function Layout(props: { active: string | undefined; children: ComponentChildren }) {
  const t = useT(messages);
  const { locale, setLocale } = useLocale();
  const { logout } = useApp();
  const { location } = useRouter();
  const [menuOpen, setMenuOpen] = useState(false);
  const first = useRef(true);

  // After a navigation the new page's heading gets the focus (not on the first load).
  useEffect(() => {
    setMenuOpen(false);
    if (first.current) {
      first.current = false;
      return;
    }
    const heading = document.querySelector<HTMLElement>('main h1');
    if (heading) {
      heading.tabIndex = -1;
      heading.focus({ preventScroll: true });
    }
  }, [location.path]);

  return (
    <div class="shell">
      <a class="skip-link" href="#main">
        {t('skipToContent')}
      </a>
      <header class="topbar">
        <Link href="/" class="brand">
          <img src="/favicon.svg" alt="" width={28} height={28} />
          <span>{t('brand')}</span>
        </Link>
        <div class="topbar-actions">
          <button
            type="button"
            class="button-link"
            lang={locale === 'en' ? 'fr' : 'en'}
            onClick={() => setLocale(locale === 'en' ? 'fr' : 'en')}
          >
            {t('switchTo')}
          </button>
          <Link href="/sessions" class="topbar-link" aria-current={location.path === '/sessions' ? 'page' : undefined}>
            {t('sessions')}
          </Link>
          <button type="button" class="button-link" onClick={() => void logout()}>
            {t('logout')}
          </button>
          <button
            type="button"
            class="menu-toggle"
            aria-expanded={menuOpen}
            aria-controls="main-nav"
            onClick={() => setMenuOpen(!menuOpen)}
          >
            {t('menu')}
          </button>
        </div>
      </header>
      <nav id="main-nav" class={menuOpen ? 'mainnav open' : 'mainnav'} aria-label={t('mainNav')}>
        <ul>
          {navigation.map((item) => (
            <li key={item.path}>
              <Link href={item.path} aria-current={props.active === item.label ? 'page' : undefined}>
                {t(item.label)}
              </Link>
            </li>
          ))}
        </ul>
      </nav>
      <main id="main" tabIndex={-1}>
        {props.children}
      </main>
    </div>
  );
}

/**
 * The app: locale, router, API client and session, then either the first run (no passphrase yet),
 * the login, or the layout with the screen the path names.
 */
import { useCallback, useEffect, useMemo, useState } from 'preact/hooks';
import { createApi } from '../api/client.js';
import { Loading, ErrorNotice } from '../components/states.js';
import { initialLocale, LocaleProvider, useT, type Locale } from '../i18n/i18n.js';
import { FirstRunPage } from '../features/first-run/first-run-page.js';
import { LoginPage } from '../features/login/login-page.js';
import { AppContext, type AppState, type AuthStatus } from './app-context.js';
import { Layout } from './layout.js';
import * as messages from './messages.js';
import { routes } from './routes.js';
import { Link, matchPath, Router, useQuery, useRouter } from './router.js';

const LOCALE_KEY = 'foyer.locale';

function savedLocale(): string | null {
  try {
    return window.localStorage.getItem(LOCALE_KEY);
  } catch {
    return null;
  }
}

export function App() {
  const [locale, setLocaleState] = useState<Locale>(() => initialLocale(savedLocale(), navigator.languages ?? []));
  const localeState = useMemo(
    () => ({
      locale,
      setLocale: (next: Locale) => {
        try {
          window.localStorage.setItem(LOCALE_KEY, next);
        } catch {
          // private browsing: the choice lasts for this page only
        }
        setLocaleState(next);
      },
    }),
    [locale],
  );
  useEffect(() => {
    document.documentElement.lang = locale;
  }, [locale]);

  return (
    <LocaleProvider value={localeState}>
      <Router>
        <Session />
      </Router>
    </LocaleProvider>
  );
}

function Session() {
  const [auth, setAuth] = useState<AuthStatus | null>(null);
  const [failure, setFailure] = useState<unknown>(null);
  const api = useMemo(() => createApi({ onUnauthenticated: () => void refreshAuth() }), []);
  const refreshAuth = useCallback(async () => {
    try {
      const status = await api.get<AuthStatus>('/api/auth/status');
      setAuth({ initialised: status.initialised, authenticated: status.authenticated });
      setFailure(null);
    } catch (e) {
      setFailure(e);
    }
  }, [api]);
  const logout = useCallback(async () => {
    await api.post('/api/auth/logout').catch(() => undefined);
    await refreshAuth();
  }, [api, refreshAuth]);
  useEffect(() => void refreshAuth(), [refreshAuth]);

  const state: AppState | null = useMemo(
    () => (auth ? { api, auth, refreshAuth, logout } : null),
    [api, auth, refreshAuth, logout],
  );
  if (failure && !state) return <ErrorNotice error={failure} onRetry={() => void refreshAuth()} />;
  if (!state) return <Loading />;
  return (
    <AppContext.Provider value={state}>
      {!state.auth.initialised ? <FirstRunPage /> : !state.auth.authenticated ? <LoginPage /> : <Screens />}
    </AppContext.Provider>
  );
}

function Screens() {
  const { location } = useRouter();
  const query = useQuery();
  const t = useT(messages);
  for (const route of routes) {
    const params = matchPath(route.path, location.path);
    if (params) {
      const Page = route.page;
      return (
        <Layout active={route.nav}>
          <Page params={params} query={query} />
        </Layout>
      );
    }
  }
  return (
    <Layout active={undefined}>
      <h1>{t('notFoundTitle')}</h1>
      <p>{t('notFoundText')}</p>
      <Link href="/">{t('backHome')}</Link>
    </Layout>
  );
}

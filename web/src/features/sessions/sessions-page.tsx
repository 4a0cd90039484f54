/** The open sessions, ending one, and "log out everywhere". */
import { useState } from 'preact/hooks';
import type { PageProps } from '../../app/page.js';
import { useApp } from '../../app/app-context.js';
import { EmptyState, ErrorNotice, Loading } from '../../components/states.js';
import { useLoad } from '../../components/use-load.js';
import { formatDateTime } from '../../i18n/format.js';
import { useLocale, useT } from '../../i18n/i18n.js';
import * as messages from './messages.js';

interface SessionInfo {
  sessionId: string;
  createdAt: string;
  lastSeenAt: string;
  ip: string | null;
  userAgent: string | null;
  current: boolean;
}

/** "Chrome on Linux" is more telling than the whole user agent string. */
export function browserName(userAgent: string | null): string | null {
  if (!userAgent) return null;
  const browser = /Firefox|Edg|Chrome|Safari/.exec(userAgent)?.[0]?.replace('Edg', 'Edge');
  const system = /Windows|Android|iPhone|iPad|Mac OS X|Linux/.exec(userAgent)?.[0]?.replace('Mac OS X', 'macOS');
  return [browser, system].filter(Boolean).join(' · ') || userAgent.slice(0, 60);
}

export function SessionsPage(_props: PageProps) {
  const t = useT(messages);
  const { locale } = useLocale();
  const { api, refreshAuth } = useApp();
  const sessions = useLoad(() => api.get<{ sessions: SessionInfo[] }>('/api/auth/sessions'), [api]);
  const [error, setError] = useState<unknown>(null);

  async function end(id: string) {
    setError(null);
    try {
      await api.del(`/api/auth/sessions/${encodeURIComponent(id)}`);
      sessions.reload();
    } catch (e) {
      setError(e);
    }
  }

  async function everywhere() {
    try {
      await api.post('/api/auth/logout-everywhere');
    } finally {
      await refreshAuth();
    }
  }

  const list = sessions.data?.sessions ?? [];
  return (
    <section>
      <h1>{t('title')}</h1>
      <p>{t('intro')}</p>
      {sessions.loading && !sessions.data && <Loading />}
      {sessions.error !== undefined && <ErrorNotice error={sessions.error} onRetry={sessions.reload} />}
      {error !== null && <ErrorNotice error={error} />}
      {sessions.data && list.length === 0 && <EmptyState title={t('none')} />}
      {list.length > 0 && (
        <div class="table-wrap">
          <table class="table">
            <thead>
              <tr>
                <th scope="col">{t('started')}</th>
                <th scope="col">{t('lastSeen')}</th>
                <th scope="col">{t('browser')}</th>
                <th scope="col">{t('from')}</th>
                <th scope="col">
                  <span class="visually-hidden">{t('end')}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {list.map((s) => (
                <tr key={s.sessionId} class={s.current ? 'row-current' : undefined}>
                  <td>{formatDateTime(locale, s.createdAt)}</td>
                  <td>{formatDateTime(locale, s.lastSeenAt)}</td>
                  <td>
                    {browserName(s.userAgent) ?? t('unknown')}
                    {s.current && <span class="badge badge-ok"> {t('thisOne')}</span>}
                  </td>
                  <td>{s.ip ?? t('unknown')}</td>
                  <td>
                    {!s.current && (
                      <button
                        type="button"
                        class="button-secondary"
                        aria-label={t('endSession', { when: formatDateTime(locale, s.createdAt) })}
                        onClick={() => void end(s.sessionId)}
                      >
                        {t('end')}
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <div class="danger-zone">
        <button type="button" class="button-danger" onClick={() => void everywhere()}>
          {t('everywhere')}
        </button>
        <p class="help">{t('everywhereHelp')}</p>
      </div>
    </section>
  );
}

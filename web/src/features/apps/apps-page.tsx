/**
 * Apps: the catalog (Foyer's app registry) with each app's state; installing asks for the app's
 * grants and shows them in plain words (data, purpose, where it goes, how long it is kept, until
 * when) with the exact consent text; nothing runs until the owner accepts. An installed app opens
 * in a sandboxed frame (opaque origin) that gets its grants' tokens from this page and nothing else.
 * Uninstalling withdraws the consent, with the keep-or-delete choice and the receipt.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import type { PageProps } from '../../app/page.js';
import { useApi } from '../../app/app-context.js';
import { Link, useRouter } from '../../app/router.js';
import { StatusBadge } from '../../components/badge.js';
import { EmptyState, ErrorNotice, Loading } from '../../components/states.js';
import { useLoad } from '../../components/use-load.js';
import { formatDateTime } from '../../i18n/format.js';
import { useLocale, useT, type Translate } from '../../i18n/i18n.js';
import { versionWords } from '../consents/grant-words.js';
import type { AppService, AppStatus, AppView, Notice, UninstallResult } from './app-types.js';
import { hostFrame } from './frame-host.js';
import * as messages from './messages.js';
import './apps.css';

type T = Translate<typeof messages.en>;

const STATUS: Record<AppStatus, { key: keyof typeof messages.en; tone: 'ok' | 'warn' | 'bad' }> = {
  pending: { key: 'statusPending', tone: 'warn' },
  active: { key: 'statusActive', tone: 'ok' },
  'update-pending': { key: 'statusUpdate', tone: 'warn' },
  refused: { key: 'statusRefused', tone: 'bad' },
  expired: { key: 'statusExpired', tone: 'bad' },
};

export function AppsPage(props: PageProps) {
  const t = useT(messages);
  const api = useApi();
  const [notice, setNotice] = useState<string | null>(null);
  const data = useLoad(async () => {
    const [{ apps }, { notices }] = await Promise.all([
      api.get<{ apps: AppView[] }>('/api/apps'),
      api.get<{ notices: Notice[] }>('/api/apps/notices'),
    ]);
    return { apps, notices };
  }, [api]);
  const id = props.params.id;
  const done = (message: string) => {
    setNotice(message);
    data.reload();
  };

  if (data.error) return <ErrorNotice error={data.error} onRetry={data.reload} />;
  if (!data.data) return <Loading />;
  const app = id ? data.data.apps.find((a) => a.id === id) : undefined;
  return (
    <section class="apps">
      <div role="status" aria-live="polite">
        {notice && <p class="notice notice-ok">{notice}</p>}
      </div>
      {id ? (
        app ? (
          <AppDetail app={app} t={t} onDone={done} />
        ) : (
          <EmptyState title={t('notInstalled')} action={<Link href="/apps">{t('back')}</Link>} />
        )
      ) : (
        <>
          <AppCatalog apps={data.data.apps} t={t} onDone={done} />
          <Notices notices={data.data.notices} apps={data.data.apps} t={t} />
        </>
      )}
    </section>
  );
}

function AppCatalog(props: { apps: AppView[]; t: T; onDone: (message: string) => void }) {
  const { t } = props;
  const { locale } = useLocale();
  const api = useApi();
  const { navigate } = useRouter();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const install = async (app: AppView) => {
    setBusy(true);
    setError(null);
    try {
      await api.post(`/api/apps/${app.id}/install`);
      // Loads the list again (the app is now waiting for consent), then shows its consent.
      props.onDone('');
      navigate(`/apps/${app.id}`);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  return (
    <>
      <h1>{t('title')}</h1>
      <p class="help">{t('intro')}</p>
      {error !== null && <ErrorNotice error={error} />}
      {props.apps.length === 0 ? (
        <EmptyState title={t('empty')} />
      ) : (
        <ul class="apps-list">
          {props.apps.map((app) => {
            const status = app.installed ? STATUS[app.installed.status] : null;
            return (
              <li key={app.id} data-app={app.id}>
                <h2>{app.name}</h2>
                <p class="app-meta">
                  {t('by', { publisher: app.publisher })} · {t('version', { version: app.version })}
                </p>
                <p>{app.description[locale]}</p>
                <p>
                  {status ? (
                    <StatusBadge tone={status.tone} label={t(status.key)} />
                  ) : (
                    <StatusBadge tone="info" label={t('statusNone')} />
                  )}
                </p>
                <div class="actions">
                  {!app.installed || app.installed.status === 'refused' ? (
                    <button type="button" disabled={busy} onClick={() => void install(app)}>
                      {t('install')}
                    </button>
                  ) : (
                    <Link class="button-link" href={`/apps/${app.id}`}>
                      {app.installed.status === 'active' ? t('open') : t('review')}
                    </Link>
                  )}
                </div>
              </li>
            );
          })}
        </ul>
      )}
    </>
  );
}

/** What apps' services told the person (`foyer.notify`), the latest first. */
function Notices(props: { notices: Notice[]; apps: AppView[]; t: T }) {
  const { locale } = useLocale();
  if (props.notices.length === 0) return null;
  const nameOf = (id: string) => props.apps.find((a) => a.id === id)?.name ?? id;
  return (
    <section class="app-notices">
      <h2>{props.t('notices')}</h2>
      <ul>
        {props.notices.slice(0, 10).map((n) => (
          <li key={n.id}>
            <strong>{nameOf(n.app)}</strong> · {formatDateTime(locale, n.at)} · {n.message[locale]}
          </li>
        ))}
      </ul>
    </section>
  );
}

function AppDetail(props: { app: AppView; t: T; onDone: (message: string) => void }) {
  const { app, t } = props;
  const inst = app.installed;
  const api = useApi();
  const [uninstalling, setUninstalling] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const act = async (work: () => Promise<void>) => {
    setBusy(true);
    setError(null);
    try {
      await work();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  const waiting = inst !== null && (inst.status === 'pending' || inst.status === 'update-pending');
  return (
    <>
      <p>
        <Link href="/apps">{t('back')}</Link>
      </p>
      <h1>{app.name}</h1>
      {error !== null && <ErrorNotice error={error} />}
      {!inst || inst.status === 'refused' ? (
        <p>{t('notInstalled')}</p>
      ) : waiting ? (
        <Consent app={app} t={t} busy={busy} act={act} onDone={props.onDone} />
      ) : inst.status === 'active' && app.web ? (
        <AppFrame app={app} t={t} />
      ) : null}
      {inst && inst.status !== 'refused' && (
        <div class="actions">
          {app.updateAvailable && inst.status === 'active' && (
            <button
              type="button"
              class="button-secondary"
              disabled={busy}
              onClick={() =>
                void act(async () => {
                  await api.post(`/api/apps/${app.id}/update`);
                  props.onDone(t('version', { version: app.version }));
                })
              }
            >
              {t('update', { version: app.version })}
            </button>
          )}
          <button type="button" class="button-danger" disabled={busy} onClick={() => setUninstalling(true)}>
            {t('uninstall')}
          </button>
        </div>
      )}
      {uninstalling && (
        <Uninstall
          app={app}
          t={t}
          busy={busy}
          act={act}
          onDone={props.onDone}
          onCancel={() => setUninstalling(false)}
        />
      )}
    </>
  );
}

function Consent(props: {
  app: AppView;
  t: T;
  busy: boolean;
  act: (work: () => Promise<void>) => Promise<void>;
  onDone: (message: string) => void;
}) {
  const { app, t } = props;
  const { locale } = useLocale();
  const api = useApi();
  const inst = app.installed!;
  const asked = inst.grants.filter((g) => g.pending);
  const services: AppService[] = inst.pending?.services ?? inst.services;
  const accept = () =>
    props.act(async () => {
      await api.post(`/api/apps/${app.id}/accept`, {
        language: locale,
        grants: asked.map((g) => ({ id: g.id, version: g.pending!.version, consentHash: g.pending!.consentHash })),
      });
      props.onDone(t('accepted', { name: app.name }));
    });
  const refuse = () =>
    props.act(async () => {
      for (const g of asked) await api.post(`/api/grants/${g.id}/refuse`, { language: locale });
      props.onDone(t('refused', { name: app.name }));
    });
  return (
    <div class="app-consent">
      <h2>{t('askTitle', { name: app.name })}</h2>
      <p>{t('askIntro')}</p>
      {asked.map((grant) => {
        const words = versionWords(grant.pending!, locale);
        return (
          <section key={grant.id} class="card" data-grant={grant.id}>
            <dl>
              <dt>{t('who')}</dt>
              <dd>{words.who}</dd>
              <dt>{t('purpose')}</dt>
              <dd>{words.purpose}</dd>
              <dt>{t('data')}</dt>
              <dd>
                <ul>
                  {words.data.map((s) => (
                    <li key={s.index}>{s.text}</li>
                  ))}
                </ul>
              </dd>
              <dt>{t('where')}</dt>
              <dd>{words.where}</dd>
              <dt>{t('keptFor')}</dt>
              <dd>{words.keptFor}</dd>
              <dt>{t('validUntil')}</dt>
              <dd>{words.validUntil}</dd>
              <dt>{t('ifWithdrawn')}</dt>
              <dd>{words.onWithdraw}</dd>
            </dl>
            <details>
              <summary>{t('fullText')}</summary>
              <pre>{words.text}</pre>
            </details>
          </section>
        );
      })}
      <h3>{t('services')}</h3>
      {services.length === 0 ? (
        <p>{t('noServices')}</p>
      ) : (
        <ul>
          {services.flatMap((s) =>
            s.triggers.map((tr, i) => (
              <li key={`${s.name}-${i}`}>
                {s.name}:{' '}
                {tr.kind === 'schedule' ? t('schedule', { cron: tr.cron }) : t('change', { doctype: tr.doctype })}
              </li>
            )),
          )}
        </ul>
      )}
      <div class="actions">
        <button type="button" disabled={props.busy} onClick={() => void accept()}>
          {t('accept')}
        </button>
        <button
          type="button"
          class="button-secondary"
          disabled={props.busy || asked.length === 0}
          onClick={() => void refuse()}
        >
          {t('refuse')}
        </button>
      </div>
    </div>
  );
}

function AppFrame(props: { app: AppView; t: T }) {
  const api = useApi();
  const { locale } = useLocale();
  const ref = useRef<HTMLIFrameElement>(null);
  useEffect(
    () => (ref.current ? hostFrame(ref.current, props.app.id, api, locale) : undefined),
    [api, props.app.id, locale],
  );
  return (
    <iframe
      ref={ref}
      class="app-frame"
      // Scripts only: no same-origin (an opaque origin: no cookies, no storage of Foyer's), no
      // top navigation, no popups, no forms.
      sandbox="allow-scripts"
      src={`/app-frame/${encodeURIComponent(props.app.id)}`}
      title={props.t('frameTitle', { name: props.app.name })}
      referrerpolicy="no-referrer"
    />
  );
}

function Uninstall(props: {
  app: AppView;
  t: T;
  busy: boolean;
  act: (work: () => Promise<void>) => Promise<void>;
  onDone: (message: string) => void;
  onCancel: () => void;
}) {
  const { app, t } = props;
  const api = useApi();
  const { navigate } = useRouter();
  const [choice, setChoice] = useState<'delete' | 'keep'>('delete');
  const submit = (e: Event) => {
    e.preventDefault();
    void props.act(async () => {
      const result = await api.post<UninstallResult>(`/api/apps/${app.id}/uninstall`, { choice });
      const count = result.receipts.flatMap((r) => r.deleted).reduce((n, d) => n + d.count, 0);
      props.onDone(
        choice === 'delete' ? t('uninstalled', { name: app.name, count }) : t('uninstalledKept', { name: app.name }),
      );
      navigate('/apps');
    });
  };
  return (
    <form class="form danger-zone" onSubmit={submit}>
      <h2>{t('uninstallTitle', { name: app.name })}</h2>
      <p>{t('uninstallIntro')}</p>
      <fieldset>
        <label>
          <input type="radio" name="choice" checked={choice === 'delete'} onChange={() => setChoice('delete')} />{' '}
          {t('choiceDelete')}
        </label>
        <label>
          <input type="radio" name="choice" checked={choice === 'keep'} onChange={() => setChoice('keep')} />{' '}
          {t('choiceKeep')}
        </label>
      </fieldset>
      <div class="actions">
        <button type="submit" class="button-danger" disabled={props.busy}>
          {t('confirmUninstall')}
        </button>
        <button type="button" class="button-secondary" onClick={props.onCancel}>
          {t('cancel')}
        </button>
      </div>
    </form>
  );
}

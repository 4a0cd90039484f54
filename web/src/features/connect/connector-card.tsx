/**
 * One connector of the catalog: what it collects and why, and the whole connection as the person
 * lives it: install (asks for the grant), read and accept the consent, log in (a form, or the
 * holder's own pages in a new tab), collect with live progress, answer a second factor, read
 * failures in plain words with the fix, disconnect keeping or deleting what it collected.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import { doctypeTitle, type DoctypeTitles } from '../../api/doctypes.js';
import type { ConnectorListing, GrantRecord, RunRecord } from '../../api/types.js';
import { useApi } from '../../app/app-context.js';
import { StatusBadge } from '../../components/badge.js';
import { ErrorNotice, Progress } from '../../components/states.js';
import { formatDateTime, formatNumber } from '../../i18n/format.js';
import { useLocale, useT } from '../../i18n/i18n.js';
import { connectorState } from './connector-state.js';
import * as messages from './messages.js';

type Step =
  { kind: 'idle' } | { kind: 'consent'; grant: GrantRecord } | { kind: 'login' } | { kind: 'oauth'; url: string };

type MessageKey = keyof typeof messages.en;

export function ConnectorCard(props: {
  listing: ConnectorListing;
  doctypes: DoctypeTitles | undefined;
  onChange: () => void;
  focus: boolean;
}) {
  const t = useT(messages);
  const { locale } = useLocale();
  const api = useApi();
  const { manifest, installed } = props.listing;
  const holder = manifest.holder.name;
  const state = connectorState(props.listing);
  const base = `/api/connectors/${encodeURIComponent(manifest.id)}`;
  const [step, setStep] = useState<Step>({ kind: 'idle' });
  const [error, setError] = useState<unknown>(null);
  const [origin, setOrigin] = useState('');
  const [values, setValues] = useState<Record<string, string>>({});
  const [running, setRunning] = useState<{ done: number; total?: number } | null>(null);
  const [question, setQuestion] = useState<string | null>(null);
  const [answer, setAnswer] = useState('');
  const [result, setResult] = useState<RunRecord | null>(null);
  const card = useRef<HTMLElement>(null);

  useEffect(() => {
    if (props.focus) card.current?.scrollIntoView({ block: 'start' });
  }, [props.focus]);

  async function act(work: () => Promise<void>) {
    setError(null);
    try {
      await work();
    } catch (e) {
      setError(e);
    }
  }

  const install = () =>
    act(async () => {
      const body = origin.trim() ? { origin: origin.trim() } : {};
      const r = await api.post<{ grant: GrantRecord }>(`${base}/install`, body);
      setStep({ kind: 'consent', grant: r.grant });
    });

  const showConsent = () =>
    act(async () => {
      const { grants } = await api.get<{ grants: GrantRecord[] }>('/api/grants');
      const grant = grants.find((g) => g.id === installed?.grant);
      if (grant) setStep({ kind: 'consent', grant });
    });

  const accept = (grant: GrantRecord) =>
    act(async () => {
      const pending = grant.pending!;
      await api.post(`/api/grants/${encodeURIComponent(grant.id)}/accept`, {
        version: pending.version,
        consentHash: pending.consentHash,
        language: locale,
      });
      setStep(manifest.auth.kind === 'login' ? { kind: 'login' } : { kind: 'idle' });
      if (manifest.auth.kind !== 'login') await startOAuth();
      props.onChange();
    });

  async function startOAuth() {
    const { authorizationUrl } = await api.post<{ authorizationUrl: string }>(`${base}/oauth/start`);
    setStep({ kind: 'oauth', url: authorizationUrl });
  }

  const saveLogin = () =>
    act(async () => {
      await api.post(`${base}/credentials`, { values });
      setValues({});
      setStep({ kind: 'idle' });
      props.onChange();
      await collect();
    });

  async function collect() {
    setResult(null);
    setRunning({ done: 0 });
    try {
      const { run } = await api.stream<{ run: RunRecord }>(`${base}/run`, JSON.stringify({}), (e) => {
        const data = e.data as { done?: number; total?: number; prompt?: string };
        if (e.event === 'progress') setRunning({ done: data.done ?? 0, ...(data.total ? { total: data.total } : {}) });
        if (e.event === 'second-factor') setQuestion(data.prompt ?? '');
      });
      setResult(run);
    } finally {
      setRunning(null);
      setQuestion(null);
      props.onChange();
    }
  }

  const sendAnswer = () =>
    act(async () => {
      await api.post(`${base}/second-factor`, { answer });
      setAnswer('');
      setQuestion(null);
    });

  const disconnect = (choice: 'keep' | 'delete') =>
    act(async () => {
      await api.del(`${base}?choice=${choice}`);
      setResult(null);
      props.onChange();
    });

  const tone =
    state.status === 'ok' ? 'ok' : state.status === 'failing' ? 'bad' : state.status === 'running' ? 'info' : 'warn';
  const statusLabel: Record<string, string> = {
    ok: t('statusOk'),
    action: t('statusAction'),
    failing: t('statusFailing'),
    running: t('statusRunning'),
  };
  const fixText =
    state.status === 'failing' && state.code
      ? t(`error.${state.code}` as MessageKey, { holder })
      : state.action
        ? t(`action.${state.action}` as MessageKey, { holder })
        : null;
  const loginFields = manifest.auth.kind === 'login' ? manifest.auth.fields : [];
  const headingId = `connector-${manifest.id}`;

  return (
    <article class="card connector-card" ref={card} aria-labelledby={headingId} data-connector={manifest.id}>
      <h3 id={headingId}>{holder}</h3>
      {installed && (
        <p class="card-meta">
          <StatusBadge tone={tone} label={statusLabel[state.status] ?? ''} />
          {installed.lastRun
            ? t('lastRun', { when: formatDateTime(locale, installed.lastRun.endedAt) })
            : t('neverRun')}
        </p>
      )}
      {manifest.description && <p>{manifest.description[locale]}</p>}
      <details>
        <summary>{t('collects')}</summary>
        <ul>
          {manifest.doctypes.map((d) => (
            <li key={d.doctype}>{d.reason?.[locale] ?? doctypeTitle(props.doctypes, d.doctype, locale)}</li>
          ))}
        </ul>
        <p>
          <strong>{t('purpose')}: </strong>
          {manifest.purpose.text[locale]}
        </p>
        <p>
          <strong>{t('schedule')}: </strong>
          {t(manifest.schedule.frequency)}
        </p>
      </details>

      {error !== null && <ErrorNotice error={error} />}
      {installed && fixText && step.kind === 'idle' && !running && !result && (
        <div class={state.status === 'failing' ? 'notice notice-error' : 'notice notice-warn'} role="status">
          <p>{fixText}</p>
        </div>
      )}

      {!installed && step.kind === 'idle' && (
        <div class="actions connector-install">
          <details class="advanced">
            <summary>{t('serverAddress')}</summary>
            <label for={`origin-${manifest.id}`}>{t('serverAddressLabel')}</label>
            <input
              id={`origin-${manifest.id}`}
              value={origin}
              placeholder={manifest.holder.url}
              onInput={(e) => setOrigin(e.currentTarget.value)}
            />
          </details>
          <button type="button" onClick={() => void install()}>
            {t('install', { name: holder })}
          </button>
        </div>
      )}

      {step.kind === 'consent' && step.grant.pending && (
        <div class="consent" role="group" aria-label={t('consentTitle')}>
          <h4>{t('consentTitle')}</h4>
          <p class="help">{t('consentIntro', { name: holder })}</p>
          <pre class="consent-text">{step.grant.pending.consentText[locale]}</pre>
          <div class="actions">
            <button type="button" onClick={() => void accept(step.grant)}>
              {t('accept')}
            </button>
            <button type="button" class="button-secondary" onClick={() => setStep({ kind: 'idle' })}>
              {t('refuse')}
            </button>
          </div>
        </div>
      )}

      {step.kind === 'login' && (
        <form
          class="form"
          onSubmit={(e) => {
            e.preventDefault();
            void saveLogin();
          }}
        >
          <h4>{t('loginTitle', { holder })}</h4>
          <p class="help">{t('loginIntro')}</p>
          {loginFields.map((f) => (
            <div key={f.name}>
              <label for={`${manifest.id}-${f.name}`}>{f.label[locale]}</label>
              <input
                id={`${manifest.id}-${f.name}`}
                type={f.secret ? 'password' : 'text'}
                autocomplete="off"
                required
                value={values[f.name] ?? ''}
                onInput={(e) => setValues({ ...values, [f.name]: e.currentTarget.value })}
              />
            </div>
          ))}
          <button type="submit">{t('saveLogin')}</button>
        </form>
      )}

      {step.kind === 'oauth' && (
        <div class="notice notice-warn">
          <h4>{t('oauthTitle', { holder })}</h4>
          <p>{t('oauthIntro', { holder })}</p>
          <div class="actions">
            <a class="button" href={step.url} target="_blank" rel="noopener">
              {t('openHolder', { holder })}
            </a>
            <button
              type="button"
              class="button-secondary"
              onClick={() => {
                setStep({ kind: 'idle' });
                props.onChange();
              }}
            >
              {t('oauthDone', { holder })}
            </button>
          </div>
        </div>
      )}

      {running && (
        <Progress
          label={t('running', { holder })}
          {...(running.total ? { value: running.done, max: running.total } : {})}
          detail={running.done > 0 ? t('runProgress', { count: formatNumber(locale, running.done) }) : t('runStarted')}
        />
      )}
      {question !== null && (
        <form
          class="form notice notice-warn"
          onSubmit={(e) => {
            e.preventDefault();
            void sendAnswer();
          }}
        >
          <h4>{t('secondFactorTitle', { holder })}</h4>
          <p>{question}</p>
          <label for={`${manifest.id}-code`}>{t('secondFactorLabel')}</label>
          <input
            id={`${manifest.id}-code`}
            autocomplete="one-time-code"
            inputMode="numeric"
            required
            value={answer}
            onInput={(e) => setAnswer(e.currentTarget.value)}
          />
          <button type="submit">{t('secondFactorSend')}</button>
        </form>
      )}
      {result && <RunResult run={result} holder={holder} />}

      {installed && step.kind === 'idle' && !running && (
        <div class="actions">
          {state.action === 'accept-consent' || state.action === 'renew-consent' ? (
            <button type="button" onClick={() => void showConsent()}>
              {t('consentTitle')}
            </button>
          ) : state.action === 'connect' || state.action === 're-enter-login' ? (
            <button
              type="button"
              onClick={() => (manifest.auth.kind === 'login' ? setStep({ kind: 'login' }) : void act(startOAuth))}
            >
              {manifest.auth.kind === 'login' ? t('loginTitle', { holder }) : t('oauthTitle', { holder })}
            </button>
          ) : (
            <button type="button" onClick={() => void act(collect)}>
              {t('runNow')}
            </button>
          )}
          <button type="button" class="button-secondary" onClick={() => void disconnect('keep')}>
            {t('disconnectKeep')}
          </button>
          <button type="button" class="button-secondary" onClick={() => void disconnect('delete')}>
            {t('disconnectDelete')}
          </button>
        </div>
      )}
    </article>
  );
}

function RunResult(props: { run: RunRecord; holder: string }) {
  const t = useT(messages);
  const { locale } = useLocale();
  const { run, holder } = props;
  if (run.outcome === 'failed' && run.error) {
    return (
      <div class="notice notice-error" role="alert" data-run-outcome="failed">
        <p>{t(`error.${run.error.code}` as MessageKey, { holder })}</p>
      </div>
    );
  }
  const sum = (k: 'created' | 'updated' | 'unchanged') =>
    formatNumber(
      locale,
      Object.values(run.counts).reduce((n, c) => n + c[k], 0),
    );
  return (
    <p class="notice notice-ok" role="status" data-run-outcome="succeeded">
      {t('runDone', { created: sum('created'), updated: sum('updated'), unchanged: sum('unchanged') })}
    </p>
  );
}

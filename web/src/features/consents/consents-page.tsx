/**
 * Consents: every grant in plain words (who, which data, for what, where it goes, how long it is
 * kept, until when), with what the owner can do about it: accept a pending request with optional
 * scopes deselectable, refuse it, renew, withdraw with the keep-or-delete choice, and read the
 * deletion receipts. Only the public grant API (`/api/grants`).
 */
import { useState } from 'preact/hooks';
import { ApiError } from '../../api/api-error.js';
import { doctypeTitle, loadDoctypes, type DoctypeTitles } from '../../api/doctypes.js';
import type { PageProps } from '../../app/page.js';
import { useApi } from '../../app/app-context.js';
import { EmptyState, ErrorNotice, Loading } from '../../components/states.js';
import { useLoad } from '../../components/use-load.js';
import { formatDate, formatNumber } from '../../i18n/format.js';
import { useLocale, useT, type Translate } from '../../i18n/i18n.js';
import type { DeletionReceipt, GrantView } from './grant-types.js';
import { acceptBody, isRenewal, renewalEnd, shownVersion, sortGrants, versionWords } from './grant-words.js';
import * as messages from './messages.js';
import './consents.css';

type T = Translate<typeof messages.en>;

const STATUS: Record<GrantView['status'], { key: keyof typeof messages.en; badge: string }> = {
  pending: { key: 'statusPending', badge: 'badge-warn' },
  active: { key: 'statusActive', badge: 'badge-ok' },
  expired: { key: 'statusExpired', badge: 'badge-bad' },
  withdrawn: { key: 'statusWithdrawn', badge: 'badge-bad' },
  refused: { key: 'statusRefused', badge: 'badge-bad' },
};
const KIND: Record<GrantView['grantee']['kind'], keyof typeof messages.en> = {
  app: 'kindApp',
  service: 'kindService',
  connector: 'kindConnector',
  client: 'kindClient',
  collective: 'kindCollective',
  person: 'kindPerson',
};

export function ConsentsPage(_props: PageProps) {
  const t = useT(messages);
  const api = useApi();
  const [notice, setNotice] = useState<string | null>(null);
  const data = useLoad(async () => {
    const [{ grants }, titles] = await Promise.all([
      api.get<{ grants: GrantView[] }>('/api/grants'),
      loadDoctypes(api),
    ]);
    return { grants: sortGrants(grants), titles };
  }, [api]);

  const done = (message: string) => {
    setNotice(message);
    data.reload();
  };
  const groups = data.data
    ? [
        { key: 'waiting', grants: data.data.grants.filter((g) => g.pending && g.status !== 'withdrawn') },
        {
          key: 'inForce',
          grants: data.data.grants.filter((g) => !g.pending && (g.status === 'active' || g.status === 'expired')),
        },
        {
          key: 'ended',
          grants: data.data.grants.filter((g) => g.status === 'withdrawn' || (g.status === 'refused' && !g.pending)),
        },
      ]
    : [];

  return (
    <section class="consents">
      <h1>{t('title')}</h1>
      <p class="help">{t('intro')}</p>
      <div role="status" aria-live="polite">
        {notice && <p class="notice notice-ok">{notice}</p>}
      </div>
      {data.error ? (
        <ErrorNotice error={data.error} onRetry={data.reload} />
      ) : !data.data ? (
        <Loading />
      ) : data.data.grants.length === 0 ? (
        <EmptyState title={t('empty')}>{t('emptyText')}</EmptyState>
      ) : (
        groups
          .filter((g) => g.grants.length > 0)
          .map((group) => (
            <section key={group.key} aria-labelledby={`grants-${group.key}`}>
              <h2 id={`grants-${group.key}`}>{t(group.key as 'waiting' | 'inForce' | 'ended')}</h2>
              <div class="grant-list">
                {group.grants.map((g) => (
                  <GrantCard key={g.id} grant={g} titles={data.data!.titles} onDone={done} onStale={data.reload} />
                ))}
              </div>
            </section>
          ))
      )}
    </section>
  );
}

function GrantCard(props: {
  grant: GrantView;
  titles: DoctypeTitles;
  onDone: (message: string) => void;
  onStale: () => void;
}) {
  const { grant } = props;
  const t = useT(messages);
  const { locale } = useLocale();
  const api = useApi();
  const version = shownVersion(grant);
  const [omit, setOmit] = useState<number[]>([]);
  const [withdrawing, setWithdrawing] = useState(false);
  const [choice, setChoice] = useState<'delete' | 'keep'>(grant.active?.terms.onWithdraw ?? 'delete');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  if (!version) return null;
  const words = versionWords(version, locale);
  const name = grant.grantee.name;
  const pending = grant.pending && grant.status !== 'withdrawn' ? grant.pending : null;
  const status = STATUS[grant.status];
  const headingId = `grant-${grant.id}`;

  const act = async (run: () => Promise<string>) => {
    setBusy(true);
    setError(null);
    try {
      props.onDone(await run());
    } catch (e) {
      setError(e);
      // The terms moved on while the page was open: show the new text to decide on.
      if (e instanceof ApiError && e.code === 'consent_changed') props.onStale();
    } finally {
      setBusy(false);
    }
  };

  return (
    <article class="card grant" aria-labelledby={headingId} data-grant={grant.id}>
      <h3 id={headingId}>
        {name} <span class={`badge ${status.badge}`}>{t(status.key)}</span>
        {grant.needsRenewal && grant.status === 'active' && <span class="badge badge-warn">{t('renewSoon')}</span>}
      </h3>
      {pending && grant.active && (
        <p class="notice notice-warn">
          {isRenewal(grant) ? t('renewalAsked', { date: words.validUntil }) : t('newTerms')}
        </p>
      )}
      <dl class="facts grant-facts">
        <dt>{t('who')}</dt>
        <dd>
          {t(KIND[grant.grantee.kind])} “{name}”{grant.grantee.publisher ? ` (${grant.grantee.publisher})` : ''}
        </dd>
        <dt>{t('purpose')}</dt>
        <dd>{words.purpose}</dd>
        <dt>{t('data')}</dt>
        <dd>
          {pending && words.data.some((d) => d.optional) && <p class="help">{t('chooseOptional')}</p>}
          <ul class="grant-scopes">
            {words.data.map((d) => (
              <li key={d.index}>
                {pending && d.optional ? (
                  <label>
                    <input
                      type="checkbox"
                      checked={!omit.includes(d.index)}
                      onChange={(e) => {
                        const on = (e.target as HTMLInputElement).checked;
                        setOmit(on ? omit.filter((i) => i !== d.index) : [...omit, d.index]);
                      }}
                    />{' '}
                    {d.text}
                  </label>
                ) : (
                  <span class={d.omitted ? 'scope-omitted' : undefined}>
                    {d.text}
                    {d.omitted && ` (${t('leftOut')})`}
                  </span>
                )}
              </li>
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
      {error != null && <ErrorNotice error={error} />}
      {pending && (
        <div class="actions">
          <button
            type="button"
            disabled={busy}
            onClick={() =>
              act(async () => {
                await api.post(`/api/grants/${grant.id}/accept`, acceptBody(grant, locale, omit));
                return t('accepted', { name });
              })
            }
          >
            {t('accept')}
          </button>
          <button
            type="button"
            class="button-secondary"
            disabled={busy}
            onClick={() =>
              act(async () => {
                await api.post(`/api/grants/${grant.id}/refuse`, { language: locale });
                return t('refused', { name });
              })
            }
          >
            {t('refuse')}
          </button>
        </div>
      )}
      {!pending && (grant.status === 'active' || grant.status === 'expired') && !withdrawing && (
        <div class="actions">
          <button
            type="button"
            class="button-secondary"
            disabled={busy}
            onClick={() =>
              act(async () => {
                await api.post(`/api/grants/${grant.id}/renew`, { validUntil: renewalEnd(grant, Date.now()) });
                return t('renewalReady');
              })
            }
          >
            {t('renew')}
          </button>
          <button type="button" class="button-danger" disabled={busy} onClick={() => setWithdrawing(true)}>
            {t('withdraw')}
          </button>
        </div>
      )}
      {withdrawing && (
        <form
          class="withdraw-form"
          onSubmit={(e) => {
            e.preventDefault();
            void act(async () => {
              await api.post(`/api/grants/${grant.id}/withdraw`, { choice });
              setWithdrawing(false);
              return t('withdrawn', { name });
            });
          }}
        >
          <fieldset>
            <legend>{t('withdrawTitle', { name })}</legend>
            <p class="help">{t('withdrawHelp')}</p>
            {(['delete', 'keep'] as const).map((c) => (
              <label key={c} class="choice">
                <input
                  type="radio"
                  name={`choice-${grant.id}`}
                  value={c}
                  checked={choice === c}
                  onChange={() => setChoice(c)}
                />{' '}
                {t(c === 'delete' ? 'choiceDelete' : 'choiceKeep')}
              </label>
            ))}
          </fieldset>
          <div class="actions">
            <button type="submit" class="button-danger" disabled={busy}>
              {t('confirmWithdraw')}
            </button>
            <button type="button" class="button-secondary" onClick={() => setWithdrawing(false)}>
              {t('cancel')}
            </button>
          </div>
        </form>
      )}
      {grant.receipts.length > 0 && (
        <section class="receipts" aria-label={t('receipts')}>
          <h4>{t('receipts')}</h4>
          {grant.receipts.map((r) => (
            <Receipt key={r.id} receipt={r} titles={props.titles} t={t} />
          ))}
        </section>
      )}
      <details>
        <summary>{t('exactText')}</summary>
        <pre class="consent-text">{words.text}</pre>
      </details>
      {grant.history.length > 0 && (
        <details>
          <summary>{t('history')}</summary>
          <ul>
            {[...grant.history, ...(grant.active ? [grant.active] : [])].map((v) => (
              <li key={v.version}>
                {t('versionLine', {
                  version: v.version,
                  date: formatDate(locale, v.requestedAt, 'medium'),
                  outcome: t(
                    v.decision?.outcome === 'accepted'
                      ? 'outcomeAccepted'
                      : v.decision?.outcome === 'refused'
                        ? 'outcomeRefused'
                        : 'outcomeNone',
                  ),
                })}
              </li>
            ))}
          </ul>
        </details>
      )}
    </article>
  );
}

function Receipt(props: { receipt: DeletionReceipt; titles: DoctypeTitles; t: T }) {
  const { receipt: r, t } = props;
  const { locale } = useLocale();
  const kinds = { documents: 'kindDocuments', points: 'kindPoints' } as const;
  const remote = r.remote;
  return (
    <div class="receipt" data-receipt={r.id}>
      <p>
        <strong>{t('receipt', { date: formatDate(locale, r.at, 'long') })}</strong>
      </p>
      {r.choice === 'keep' ? (
        <p>{t('receiptKept')}</p>
      ) : r.deleted.length === 0 ? (
        <p>{t('receiptNothing')}</p>
      ) : (
        <ul>
          {r.deleted.map((d) => (
            <li key={`${d.doctype}-${d.kind}`} data-doctype={d.doctype} data-count={d.count}>
              {d.kind === 'files'
                ? t('receiptFiles', { count: formatNumber(locale, d.count) })
                : t('receiptLine', {
                    count: formatNumber(locale, d.count),
                    kind: t(kinds[d.kind]),
                    doctype: doctypeTitle(props.titles, d.doctype, locale),
                  })}
            </li>
          ))}
        </ul>
      )}
      {remote && (
        <p>
          {t('remote', {
            endpoint: remote.endpoint,
            status:
              remote.status === 'pending'
                ? t('remotePending', { date: formatDate(locale, remote.dueBy, 'long') })
                : remote.status === 'confirmed'
                  ? t('remoteConfirmed', { date: formatDate(locale, remote.confirmedAt ?? remote.requestedAt, 'long') })
                  : remote.status === 'overdue'
                    ? t('remoteOverdue', { date: formatDate(locale, remote.dueBy, 'long') })
                    : t('remoteFailed'),
          })}
        </p>
      )}
    </div>
  );
}

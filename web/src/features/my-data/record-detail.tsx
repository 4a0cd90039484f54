/**
 * One record: its values (named by the doctype's schema), where it comes from (`_meta`: source,
 * who created and changed it, when it was collected), correcting it (edited as JSON, checked by
 * Foyer against the doctype) and deleting it with its attached files.
 */
import { Fragment } from 'preact';
import { useMemo, useState } from 'preact/hooks';
import type { DocMeta, StoredDoc } from '../../api/types.js';
import { useApi } from '../../app/app-context.js';
import { Link, useRouter } from '../../app/router.js';
import * as componentMessages from '../../components/messages.js';
import { ErrorNotice, Loading } from '../../components/states.js';
import { useLoad } from '../../components/use-load.js';
import { createFormatters, formatDateTime } from '../../i18n/format.js';
import { useLocale, useT, type Translate } from '../../i18n/i18n.js';
import { fieldLabel, type PropertySchema } from './columns.js';
import { FieldValue, type ValueContext } from './field-value.js';
import { attachedFiles, deleteRecords } from './delete-records.js';
import * as messages from './messages.js';

interface Detail {
  title: { en: string; fr: string };
  schema: { properties?: Record<string, PropertySchema> };
  fileFields: string[];
}

/** The document's own fields, without `_id`, `_rev`, `_meta`. */
const dataOf = (doc: StoredDoc): Record<string, unknown> =>
  Object.fromEntries(Object.entries(doc).filter(([k]) => !k.startsWith('_')));

export function RecordDetail(props: { doctype: string; id: string }) {
  const t = useT(messages);
  const tc = useT(componentMessages);
  const { locale } = useLocale();
  const fmt = useMemo(() => createFormatters(locale), [locale]);
  const api = useApi();
  const { navigate } = useRouter();
  const base = `/api/data/${encodeURIComponent(props.doctype)}/${encodeURIComponent(props.id)}`;
  const loaded = useLoad(
    () =>
      Promise.all([api.get<StoredDoc>(base), api.get<Detail>(`/api/doctypes/${encodeURIComponent(props.doctype)}`)]),
    [api, base],
  );
  const [editing, setEditing] = useState<string | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [confirming, setConfirming] = useState(false);

  if (loaded.error !== undefined) return <ErrorNotice error={loaded.error} onRetry={loaded.reload} />;
  if (!loaded.data) return <Loading />;
  const [doc, detail] = loaded.data;
  const title = detail.title[locale];
  const properties = detail.schema.properties ?? {};
  const valueContext: ValueContext = {
    fmt,
    locale,
    // Amounts are written in the record's currency when its doctype has one.
    currency: 'currency' in properties ? (typeof doc.currency === 'string' ? doc.currency : 'EUR') : undefined,
    fileLink: t('downloadFile'),
  };
  const files = attachedFiles([doc], detail.fileFields);

  async function save() {
    setProblem(null);
    setError(null);
    let body: Record<string, unknown>;
    try {
      body = JSON.parse(editing ?? '') as Record<string, unknown>;
    } catch (e) {
      return setProblem(t('notJson', { problem: (e as Error).message }));
    }
    try {
      await api.put(base, { ...body, _rev: doc._rev });
      setEditing(null);
      setNotice(t('saved'));
      loaded.reload();
    } catch (e) {
      setError(e);
    }
  }

  async function remove() {
    setError(null);
    try {
      await deleteRecords(api, props.doctype, [doc], detail.fileFields);
      navigate(`/data/${encodeURIComponent(props.doctype)}`);
    } catch (e) {
      setError(e);
    }
  }

  return (
    <section data-ready="record">
      <p>
        <Link href={`/data/${encodeURIComponent(props.doctype)}`}>{t('backTo', { doctype: title })}</Link>
      </p>
      <h1>{t('detailTitle', { doctype: title })}</h1>
      {notice && (
        <p class="notice notice-ok" role="status">
          {notice}
        </p>
      )}
      {error !== null && <ErrorNotice error={error} />}
      <h2>{t('fields')}</h2>
      {editing === null ? (
        <dl class="record-fields" data-testid="record-fields">
          {Object.entries(dataOf(doc)).map(([field, value]) => (
            <Fragment key={field}>
              <dt>{fieldLabel(field, properties[field], locale)}</dt>
              <dd data-field={field}>
                <FieldValue
                  field={field}
                  value={value}
                  property={properties[field]}
                  isFile={detail.fileFields.includes(field)}
                  ctx={valueContext}
                />
              </dd>
            </Fragment>
          ))}
        </dl>
      ) : (
        <div class="field">
          <label for="record-json">{t('correct')}</label>
          <p id="record-json-help" class="help">
            {t('correctHelp')}
          </p>
          <textarea
            id="record-json"
            class="json-editor"
            aria-describedby="record-json-help"
            value={editing}
            onInput={(e) => setEditing(e.currentTarget.value)}
          />
          {problem && (
            <p class="notice notice-error" role="alert">
              {problem}
            </p>
          )}
          <div class="actions">
            <button type="button" onClick={() => void save()}>
              {t('save')}
            </button>
            <button type="button" class="button-secondary" onClick={() => setEditing(null)}>
              {tc('cancel')}
            </button>
          </div>
        </div>
      )}
      {editing === null && (
        <div class="actions">
          <button type="button" onClick={() => setEditing(JSON.stringify(dataOf(doc), null, 2))}>
            {t('correct')}
          </button>
          <button type="button" class="button-danger" onClick={() => setConfirming(true)}>
            {t('deleteRecord')}
          </button>
        </div>
      )}
      {confirming && (
        <div class="notice notice-warn" role="alertdialog" aria-labelledby="delete-title">
          <p id="delete-title">
            <strong>{t('deleteRecordTitle', { doctype: title })}</strong>
          </p>
          <p>{files.length > 0 ? t('attachedFile', { name: files.join(', ') }) : t('confirmNoFiles')}</p>
          <p>{t('confirmFinal')}</p>
          <div class="actions">
            <button type="button" class="button-danger" onClick={() => void remove()}>
              {t('confirmDelete')}
            </button>
            <button type="button" class="button-secondary" onClick={() => setConfirming(false)}>
              {tc('cancel')}
            </button>
          </div>
        </div>
      )}
      {doc._meta && <Provenance meta={doc._meta} rev={doc._rev} t={t} />}
    </section>
  );
}

function actorText(t: Translate<typeof messages.en>, actor: DocMeta['createdBy']): string {
  if (actor.kind === 'owner') return t('actor.owner');
  if (actor.kind === 'connector') return t('actor.connector', { id: actor.id ?? '' });
  if (actor.kind === 'import') return t('actor.import', { id: actor.importer ?? actor.id ?? '' });
  if (actor.kind === 'app' || actor.kind === 'service') return t('actor.app', { id: actor.id ?? '' });
  if (actor.kind === 'system') return t('actor.system');
  return t('actor.other', { kind: actor.kind, id: actor.id ?? '' });
}

function Provenance(props: { meta: DocMeta; rev: string; t: Translate<typeof messages.en> }) {
  const { meta, t } = props;
  const { locale } = useLocale();
  const kindKey = `kind.${meta.source.kind}` as keyof typeof messages.en;
  return (
    <>
      <h2>{t('provenance')}</h2>
      <dl class="record-fields" data-testid="provenance">
        <dt>{t('sourceKind')}</dt>
        <dd>{kindKey in messages.en ? t(kindKey) : meta.source.kind}</dd>
        {meta.source.holder && (
          <>
            <dt>{t('holder')}</dt>
            <dd>{meta.source.holder}</dd>
          </>
        )}
        {meta.source.account && (
          <>
            <dt>{t('account')}</dt>
            <dd>{meta.source.account}</dd>
          </>
        )}
        {meta.source.file && (
          <>
            <dt>{t('file')}</dt>
            <dd>{meta.source.file}</dd>
          </>
        )}
        {meta.source.importer && (
          <>
            <dt>{t('importer')}</dt>
            <dd>{meta.source.importer}</dd>
          </>
        )}
        {meta.collectedAt && (
          <>
            <dt>{t('collectedAt')}</dt>
            <dd>{formatDateTime(locale, meta.collectedAt)}</dd>
          </>
        )}
        <dt>{t('createdAt')}</dt>
        <dd>{formatDateTime(locale, meta.createdAt)}</dd>
        <dt>{t('createdBy')}</dt>
        <dd>{actorText(t, meta.createdBy)}</dd>
        <dt>{t('updatedAt')}</dt>
        <dd>{formatDateTime(locale, meta.updatedAt)}</dd>
        <dt>{t('updatedBy')}</dt>
        <dd data-testid="updated-by">{actorText(t, meta.updatedBy)}</dd>
        <dt>{t('revision')}</dt>
        <dd>{props.rev}</dd>
      </dl>
    </>
  );
}

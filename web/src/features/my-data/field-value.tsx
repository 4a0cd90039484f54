/**
 * One value of a record as a person reads it, written from the doctype's schema: dates, numbers
 * and amounts (in the record's currency) for the locale; a list of entries (a bill's lines) as a
 * small table with the entries' field names; an object as its named values; a file reference as a
 * link that downloads the file. Never raw JSON.
 */
import { Fragment } from 'preact';
import type { Formatters } from '../../i18n/format.js';
import type { Locale } from '../../i18n/translate.js';
import { fieldLabel, kindOf, valueText, type PropertySchema } from './columns.js';

export interface ValueContext {
  fmt: Formatters;
  locale: Locale;
  /** The record's currency, for its amounts and those of its entries; undefined: none named. */
  currency: string | undefined;
  /** The link text of a file reference. */
  fileLink: string;
}

export function FieldValue(props: {
  field: string;
  value: unknown;
  property: PropertySchema | undefined;
  isFile?: boolean;
  ctx: ValueContext;
}) {
  const { field, value, property, isFile, ctx } = props;
  if (value === undefined || value === null) return null;
  if (isFile && typeof value === 'string') {
    return (
      <a href={`/api/files/${encodeURIComponent(value)}/content`} download title={value}>
        {ctx.fileLink}
      </a>
    );
  }
  if (Array.isArray(value)) {
    if (value.length > 0 && value.every((v) => typeof v === 'object' && v !== null && !Array.isArray(v))) {
      return <EntriesTable entries={value as Record<string, unknown>[]} item={property?.items} ctx={ctx} />;
    }
    return (
      <>
        {value.map((v, i) => (
          <Fragment key={i}>
            {i > 0 && ', '}
            <FieldValue field={field} value={v} property={property?.items} ctx={ctx} />
          </Fragment>
        ))}
      </>
    );
  }
  if (typeof value === 'object') {
    const properties = property?.properties;
    return (
      <dl class="record-fields">
        {Object.entries(value as Record<string, unknown>).map(([key, v]) => (
          <Fragment key={key}>
            <dt>{fieldLabel(key, properties?.[key], ctx.locale)}</dt>
            <dd>
              <FieldValue field={key} value={v} property={properties?.[key]} ctx={ctx} />
            </dd>
          </Fragment>
        ))}
      </dl>
    );
  }
  const kind = kindOf(field, property, ctx.currency !== undefined);
  return <>{valueText(kind, value, ctx.currency ?? 'EUR', ctx.fmt)}</>;
}

/** A list of objects: one row per entry, one column per field any entry has (the schema's order first). */
function EntriesTable(props: {
  entries: Record<string, unknown>[];
  item: PropertySchema | undefined;
  ctx: ValueContext;
}) {
  const { entries, item, ctx } = props;
  const present = new Set(entries.flatMap((e) => Object.keys(e)));
  const declared = Object.keys(item?.properties ?? {}).filter((k) => present.has(k));
  const fields = [...declared, ...[...present].filter((k) => !declared.includes(k))];
  return (
    <div class="table-wrap">
      <table class="table table-compact">
        <thead>
          <tr>
            {fields.map((f) => (
              <th key={f} scope="col">
                {fieldLabel(f, item?.properties?.[f], ctx.locale)}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {entries.map((entry, i) => (
            <tr key={i}>
              {fields.map((f) => (
                <td key={f} class={typeof entry[f] === 'number' ? 'num' : undefined}>
                  <FieldValue field={f} value={entry[f]} property={item?.properties?.[f]} ctx={ctx} />
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

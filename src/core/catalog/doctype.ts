/**
 * A doctype: one documented data type of the catalog. Loaded from `catalog/doctypes/<name>/`
 * (doctype.json, schema.json, description.md, example.json) by `loadCatalog`.
 */

export type DoctypeKind = 'document' | 'series';

/** `special` = the GDPR art. 9 categories (health, religion, ...); `high` = e.g. location, bank. */
export type Sensitivity = 'low' | 'medium' | 'high' | 'special';

export interface LocalizedTitle {
  en: string;
  fr: string;
}

/** How a series doctype's points map onto the time series store. */
export interface SeriesSpec {
  /** The field that carries the point's time: an instant (`date-time`) or a local day (`date`). */
  time: { field: string; format: 'date-time' | 'date' };
  /** The main numeric field that aggregates sum/avg/min/max over, or null (e.g. a location). */
  value: string | null;
  /** The field that tells streams apart (a meter, a device), or null when there is one stream. */
  stream: string | null;
  /** Unit of `value` (`W`, `kWh`, `L`, ...), null when there is no value. */
  unit: string | null;
  /** ISO 8601 duration between regular points (`PT30M`, `P1D`), null when irregular. */
  interval: string | null;
}

export type JsonSchema = Readonly<Record<string, unknown>>;

export interface Doctype {
  /** Dotted and stable, e.g. `bank.transaction`. */
  readonly name: string;
  /** Starts at 1; bumped on any change that could reject a document the previous version accepted. */
  readonly version: number;
  readonly kind: DoctypeKind;
  readonly title: LocalizedTitle;
  /** English Markdown: what it is, where it comes from, its fields, retention and sensitivity. */
  readonly description: string;
  /** JSON Schema (draft 2020-12) of one document, or of one point for a series. */
  readonly schema: JsonSchema;
  /** A valid document, or for a series an array of valid points. */
  readonly example: unknown;
  /** ISO 8601 duration Foyer keeps data of this type by default. */
  readonly retention: string;
  /**
   * The document's own date the retention counts from (a required `date`, or UTC `date-time`,
   * top-level field, e.g. a transaction's `date`); null: from the document's last update. Series
   * points always count from their time.
   */
  readonly retentionField: string | null;
  readonly sensitivity: Sensitivity;
  /** Field lists the store indexes by default, e.g. `[["date"], ["accountId", "date"]]`. */
  readonly indexes: readonly (readonly string[])[];
  /** Fields that hold Foyer file ids (a string, or an array of strings). */
  readonly fileFields: readonly string[];
  /** Present for `series` doctypes only. */
  readonly series: SeriesSpec | null;
}

/**
 * Foyer's catalog as the Holder Kit connector knows it: each doctype's schema version and whether
 * it is a time series (points) or documents. The connector runs in a sandbox with no catalog, so
 * it carries this table; `kit-doctypes.test.ts` checks it against the real catalog, so it cannot
 * drift. A holder announcing another schema version than these is a format change. The file field
 * tells where the ids of the files an item lists go (a bill's `fileId`).
 */
export interface KnownDoctype {
  version: number;
  series: boolean;
  /** The field naming its files (the catalog's `fileFields`), one id or a list of them. */
  files?: { field: string; many: boolean };
}

export const KIT_DOCTYPES: Readonly<Record<string, KnownDoctype>> = {
  'activity.workout': { version: 1, series: false },
  'bank.account': { version: 1, series: false },
  'bank.transaction': { version: 1, series: false },
  bill: { version: 1, series: false, files: { field: 'fileId', many: false } },
  'calendar.event': { version: 1, series: false },
  contact: { version: 1, series: false, files: { field: 'photoFileId', many: false } },
  'energy.contract': { version: 1, series: false },
  'energy.electricity.daily': { version: 1, series: true },
  'energy.electricity.load-curve': { version: 1, series: true },
  'energy.electricity.max-power': { version: 1, series: true },
  'energy.gas.daily': { version: 1, series: true },
  'health.claim': { version: 1, series: false },
  'health.encounter': { version: 1, series: false },
  'health.observation': { version: 1, series: false },
  'health.sample': { version: 1, series: true },
  'insurance.claim': { version: 1, series: false, files: { field: 'fileIds', many: true } },
  'insurance.contract': { version: 1, series: false, files: { field: 'fileIds', many: true } },
  'location.point': { version: 1, series: true },
  'location.visit': { version: 1, series: false },
  'media.listen': { version: 1, series: false },
  'media.view': { version: 1, series: false },
  'raw.record': { version: 1, series: false },
  'retail.receipt': { version: 1, series: false },
  'social.connection': { version: 1, series: false },
  'social.post': { version: 1, series: false },
  'telecom.call': { version: 1, series: false },
  'telecom.data-usage': { version: 1, series: false },
  'telecom.line': { version: 1, series: false },
  'telecom.vod-view': { version: 1, series: false },
  'water.daily': { version: 1, series: true },
};

/** The catalog schema's `$id` a holder names in discovery (`schemaId`). */
export const schemaIdOf = (doctype: string, version: number): string => `urn:foyer:doctype:${doctype}:${version}`;

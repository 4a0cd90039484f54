/** A source (who created the documents: `connector:bank-psd2`, `import:ofx`, `owner:`) in words. */
import type { Translate } from '../../i18n/translate.js';
import type { en } from './messages.js';

export function sourceLabel(t: Translate<typeof en>, kind: string, id: string | null): string {
  if (kind === 'connector') return t('sourceConnector', { id: id ?? '' });
  if (kind === 'import') return t('sourceImport', { id: id ?? '' });
  if (kind === 'app' || kind === 'service') return t('sourceApp', { id: id ?? '' });
  if (kind === 'owner') return t('sourceOwner');
  return t('sourceOther', { kind, id: id ?? '' });
}

/** The source key of a document, from its `_meta.createdBy` (the same grouping as `/api/summary`). */
export function sourceKeyOf(createdBy: { kind: string; id?: string; importer?: string } | undefined): string {
  if (!createdBy) return 'owner:';
  if (createdBy.kind === 'owner' || createdBy.kind === 'system') return `${createdBy.kind}:`;
  if (createdBy.kind === 'import') return `import:${createdBy.importer ?? ''}`;
  return `${createdBy.kind}:${createdBy.id ?? ''}`;
}

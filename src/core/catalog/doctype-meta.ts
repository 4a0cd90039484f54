import { z } from 'zod';
import type { LocalizedTitle, SeriesSpec, Sensitivity } from './doctype.js';

/** The contents of a doctype folder's `doctype.json`. */
export interface DoctypeMeta {
  name: string;
  version: number;
  kind: 'document' | 'series';
  title: LocalizedTitle;
  retention: string;
  retentionField: string | null;
  sensitivity: Sensitivity;
  indexes: string[][];
  fileFields: string[];
  series: SeriesSpec | null;
}

/** Dotted lower-case segments, hyphens inside a segment: `energy.electricity.load-curve`. */
export const doctypeNamePattern = /^[a-z][a-z0-9]*(-[a-z0-9]+)*(\.[a-z][a-z0-9]*(-[a-z0-9]+)*)*$/;

/** ISO 8601 duration with at least one component: P10Y, P1Y6M, PT30M, P1D. */
const isoDurationPattern = /^P(?!$)(\d+Y)?(\d+M)?(\d+W)?(\d+D)?(T(?=\d)(\d+H)?(\d+M)?(\d+S)?)?$/;

const fieldName = z.string().regex(/^[A-Za-z][A-Za-z0-9_]*$/, 'must be a top-level field name');

const seriesSchema = z.strictObject({
  time: z.strictObject({ field: fieldName, format: z.enum(['date-time', 'date']) }),
  value: fieldName.nullable(),
  stream: fieldName.nullable(),
  unit: z.string().min(1).nullable(),
  interval: z.string().regex(isoDurationPattern, 'must be an ISO 8601 duration').nullable(),
});

const metaSchema = z
  .strictObject({
    name: z.string().regex(doctypeNamePattern, 'must be dotted lower-case segments, e.g. bank.transaction'),
    version: z.number().int().min(1),
    kind: z.enum(['document', 'series']),
    title: z.strictObject({ en: z.string().min(1), fr: z.string().min(1) }),
    retention: z.string().regex(isoDurationPattern, 'must be an ISO 8601 duration, e.g. P10Y'),
    retentionField: fieldName.optional(),
    sensitivity: z.enum(['low', 'medium', 'high', 'special']),
    indexes: z.array(z.array(fieldName).min(1)),
    fileFields: z.array(fieldName),
    series: seriesSchema.optional(),
  })
  .superRefine((meta, ctx) => {
    if (meta.kind === 'series' && !meta.series)
      ctx.addIssue({ code: 'custom', path: ['series'], message: 'is required when kind is "series"' });
    if (meta.kind === 'document' && meta.series)
      ctx.addIssue({ code: 'custom', path: ['series'], message: 'is only allowed when kind is "series"' });
    if (meta.kind === 'series' && meta.retentionField)
      ctx.addIssue({
        code: 'custom',
        path: ['retentionField'],
        message: 'is only allowed when kind is "document" (a point counts from its time)',
      });
  });

/** Checks a parsed doctype.json. Returns the meta, or a list of problems in plain English. */
export function parseDoctypeMeta(value: unknown): { meta: DoctypeMeta } | { problems: string[] } {
  const result = metaSchema.safeParse(value);
  if (!result.success) {
    return {
      problems: result.error.issues.map((i) => `${i.path.length ? i.path.join('.') : 'doctype.json'}: ${i.message}`),
    };
  }
  const { series, retentionField, ...rest } = result.data;
  return { meta: { ...rest, retentionField: retentionField ?? null, series: series ?? null } };
}

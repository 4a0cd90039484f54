/**
 * Deleting the space over HTTP: the owner only, who types the passphrase again and a confirmation
 * phrase (`delete <space id>`), and gets the receipt in the answer, the only copy Foyer makes.
 */
import { z } from 'zod';
import type { OwnerAuth } from '../../core/auth/owner-auth.js';
import { FoyerError } from '../../core/errors.js';
import type { SpaceDeletion } from '../../core/spaces/space-deletion.js';
import { clearedCookies } from '../cookies.js';
import { json } from '../respond.js';
import { defineRoute, type Route } from '../route.js';

/** What the person types to confirm, for space `space`. */
export const confirmationPhrase = (space: string) => `delete ${space}`;

const counts = z.object({
  documents: z.record(z.string(), z.number()),
  tombstones: z.number(),
  points: z.record(z.string(), z.number()),
  ledgerEntries: z.number(),
  files: z.number(),
  fileBytes: z.number(),
  hosts: z.number(),
  databaseKey: z.boolean(),
});

export const receiptSchema = z.object({
  kind: z.literal('foyer.space-deletion-receipt'),
  version: z.literal(1),
  space: z.string(),
  spaceCreatedAt: z.string().nullable(),
  timeZone: z.string().nullable(),
  requestedBy: z.enum(['owner', 'operator']),
  requestedAt: z.string(),
  completedAt: z.string(),
  foyerVersion: z.string(),
  storage: z.object({ documents: z.string(), files: z.string() }),
  deleted: counts.nullable(),
  grantsWithdrawn: z.number(),
  blobs: z.number(),
  ledgerHead: z.object({ seq: z.number(), hash: z.string() }).nullable(),
  resumed: z.boolean(),
  sha256: z.string(),
});

export function spaceRoutes(deps: { deletion: SpaceDeletion; ownerAuth: OwnerAuth; secureCookies: boolean }): Route[] {
  const { deletion, ownerAuth, secureCookies } = deps;
  return [
    defineRoute(
      {
        method: 'post',
        path: '/api/space/delete',
        operationId: 'deleteSpace',
        summary: 'Delete this space and everything in it, for good; answers the receipt.',
        description:
          'Owner only. The body repeats the passphrase and the confirmation phrase `delete <space id>`. ' +
          'Documents, series, files, the ledger, grants, tokens, sessions, the credential vault and the keys ' +
          'are removed from every store. The receipt (counts, times, SHA-256) is answered once and kept nowhere.',
        tag: 'space',
        auth: 'owner',
        body: {
          kind: 'json',
          schema: z.object({
            passphrase: z.string().max(1024),
            confirm: z.string().max(200).meta({ description: 'Exactly `delete <space id>`.' }),
          }),
        },
        responses: { 200: { description: 'Deleted.', json: z.object({ receipt: receiptSchema }) } },
      },
      async (c, { body, ctx }) => {
        // The phrase first: a slip of the keyboard must not cost a passphrase attempt.
        if (body.confirm !== confirmationPhrase(ctx.space)) {
          throw new FoyerError('validation_failed', `To confirm, type exactly "${confirmationPhrase(ctx.space)}".`, {
            field: 'confirm',
            expected: confirmationPhrase(ctx.space),
          });
        }
        await ownerAuth.confirmPassphrase(ctx.space, body.passphrase, { ip: ctx.ip ?? 'unknown' });
        const receipt = await deletion.delete(ctx.space, 'owner');
        const res = json({ receipt });
        for (const cookie of clearedCookies(secureCookies)) res.headers.append('set-cookie', cookie);
        return res;
      },
    ),
  ];
}

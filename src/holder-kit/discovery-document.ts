/**
 * The discovery document at `/.well-known/holder-kit`: everything a client needs to collect from a
 * holder, and all the generic connector reads. The schema is shared by the library (which builds
 * the document) and the conformance test (which checks any implementation's). Clients ignore
 * members they do not know: minor versions only add.
 */
import { z } from 'zod';

const url = z.url({ protocol: /^https?$/ });

export const discoveryDocumentSchema = z.object({
  kitVersion: z.string().regex(/^1\.\d+$/, 'a 1.x version'),
  holder: z.object({
    id: z.string().min(1),
    name: z.string().min(1),
    privacyPolicyUrl: url.optional(),
    contact: z.string().optional(),
  }),
  issuer: url,
  endpoints: z.object({
    authorization: url,
    token: url,
    revocation: url,
    /** `{doctype}` stands for the doctype's name. */
    data: z.string().includes('{doctype}'),
    /** `{id}` stands for a file id; absent when the holder serves no files. */
    files: z.string().includes('{id}').optional(),
    /** RFC 8414 metadata, for OAuth client libraries. */
    oauthMetadata: url,
  }),
  oauth: z.object({
    responseTypes: z.array(z.string()).refine((x) => x.includes('code'), 'must include code'),
    grantTypes: z.array(z.string()).refine((x) => x.includes('authorization_code') && x.includes('refresh_token')),
    codeChallengeMethods: z.array(z.string()).refine((x) => x.includes('S256'), 'must include S256'),
    tokenEndpointAuthMethods: z.array(z.string()),
    accessTokenLifetime: z.number().int().positive(),
    refreshTokenRotation: z.boolean(),
  }),
  doctypes: z
    .array(
      z.object({
        name: z.string().min(1),
        title: z.string().min(1),
        description: z.string().optional(),
        /** The OAuth scope to ask for this doctype (its name). */
        scope: z.string().min(1),
        schemaVersion: z.number().int().positive(),
        schemaId: z.string().min(1),
        endpoint: url,
      }),
    )
    .min(1),
  paging: z.object({
    maxPageSize: z.number().int().positive(),
    defaultPageSize: z.number().int().positive(),
    since: z.boolean(),
    order: z.literal('updatedAt,key'),
  }),
  rateLimits: z.object({ requestsPerMinute: z.number().int().positive(), per: z.literal('consent') }),
});

export type DiscoveryDocument = z.infer<typeof discoveryDocumentSchema>;

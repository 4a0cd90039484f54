/**
 * THE GATE. Every read and write of a person's data goes through `gate()` before the store is
 * touched: the services call it first and use only the space it returns. Today it admits the
 * space's owner (session or personal access token) and Foyer's own processes; grants (consent
 * checks: scopes, filters, field lists) and the access ledger plug in here, so no service has to
 * change when they arrive.
 */
import { FoyerError } from './errors.js';
import type { Principal, RequestContext } from './principal.js';

export type Verb = 'read' | 'create' | 'update' | 'delete';

export interface AccessRequest {
  verb: Verb;
  doctype: string;
}

/** What the gate hands back: the only way services learn which space to touch. */
export interface Permit {
  space: string;
  principal: Principal;
  verb: Verb;
  doctype: string;
}

export type Gate = (ctx: RequestContext, request: AccessRequest) => Promise<Permit>;

export function createGate(deps: { isGoverned: (doctype: string) => boolean }): Gate {
  return async function gate(ctx, request) {
    if (!deps.isGoverned(request.doctype)) {
      throw new FoyerError('unknown_doctype', `There is no doctype named "${request.doctype}".`, {
        doctype: request.doctype,
      });
    }
    const principal = ctx.principal;
    if (principal === null) {
      throw new FoyerError(
        'unauthenticated',
        'Log in, or send a personal access token as "Authorization: Bearer <token>".',
      );
    }
    if (principal.kind !== 'owner' && principal.kind !== 'system') {
      throw new FoyerError('forbidden', `No grant allows ${request.verb} on ${request.doctype}.`, {
        verb: request.verb,
        doctype: request.doctype,
      });
    }
    return { space: ctx.space, principal, verb: request.verb, doctype: request.doctype };
  };
}

import { randomHex } from '../../platform/random-hex.js';

export type ConsentStatus = 'received' | 'rejected' | 'valid' | 'expired' | 'terminatedByTpp';

export interface Consent {
  id: string;
  status: ConsentStatus;
  /** IBANs per service, or every account of the customer. */
  access: { all: true } | { accounts: string[]; balances: string[]; transactions: string[] };
  recurringIndicator: boolean;
  validUntil: string;
  frequencyPerDay: number;
  redirectUri: string;
  nokRedirectUri?: string;
  customerId?: string;
  lastActionDate: string;
  /** Unattended accesses per (day, resource), for frequencyPerDay. */
  usage: Map<string, number>;
}

/** Consents of one bank server, in memory: a restart forgets them, as a sandbox would. */
export interface ConsentStore {
  create(c: Omit<Consent, 'id' | 'usage'>): Consent;
  get(id: string): Consent | undefined;
}

export function createConsentStore(): ConsentStore {
  const consents = new Map<string, Consent>();
  return {
    create(c) {
      const consent: Consent = { ...c, id: randomHex(24), usage: new Map() };
      consents.set(consent.id, consent);
      return consent;
    },
    get: (id) => consents.get(id),
  };
}

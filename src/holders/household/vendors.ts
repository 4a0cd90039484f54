/**
 * The fictional organisations the simulated holders play. Fictional on purpose: a demo must not
 * look like real data from a real company. `bankLabel` is how the bank prints the creditor.
 */
export interface Vendor {
  name: string;
  bankLabel: string;
  /** SEPA creditor identifier (ICS) on its direct debits. */
  creditorId: string;
}

export const vendors = {
  insurer: { name: 'Aurore Assurances', bankLabel: 'AURORE ASSURANCES', creditorId: 'FR41ZZZ437120' },
  telecom: { name: 'Onde Télécom', bankLabel: 'ONDE TELECOM', creditorId: 'FR77ZZZ512044' },
  /** The electricity and gas supplier that bills; the distributors only meter. */
  energySupplier: { name: 'Lumen Énergie', bankLabel: 'LUMEN ENERGIE', creditorId: 'FR29ZZZ620318' },
  water: { name: "Eau de l'Estuaire", bankLabel: 'EAU DE L ESTUAIRE', creditorId: 'FR63ZZZ288905' },
  bank: { name: 'Banque Horizon', bankLabel: 'BANQUE HORIZON', creditorId: 'FR10ZZZ100200' },
  retailer: { name: 'Marché Frais', bankLabel: 'MARCHE FRAIS', creditorId: 'FR88ZZZ733001' },
} as const satisfies Record<string, Vendor>;

export const electricityDistributor = 'Réseau Électrique de l’Estuaire';
export const gasDistributor = 'Gaz Réseau Estuaire';

/** The bank's interbank code, branch and BIC (a valid-looking French bank code that no bank uses). */
export const bankCodes = { bankCode: '19870', branchCode: '00420', bic: 'HRZNFRP1XXX' } as const;

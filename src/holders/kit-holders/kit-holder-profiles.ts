/**
 * Who each simulated Holder Kit holder is, and how its consent page describes each doctype it
 * offers. The doctypes themselves are whatever the household gives that holder.
 */
import { gasDistributor, vendors } from '../household/vendors.js';

export const kitHolderIds = ['insurer', 'telecom', 'gas', 'water', 'retailer'] as const;
export type KitHolderId = (typeof kitHolderIds)[number];

export interface KitHolderProfile {
  name: string;
  /** Per doctype: what the customer reads on the consent page. */
  descriptions: Record<string, string>;
}

export const kitHolderProfiles: Record<KitHolderId, KitHolderProfile> = {
  insurer: {
    name: vendors.insurer.name,
    descriptions: {
      'insurance.contract':
        'Your home and vehicle contracts: cover, premiums, insured people and vehicles, with the PDF.',
      'insurance.claim': 'Your claims: what happened, when, how much was claimed and settled.',
      bill: 'Your payment schedules and premium notices, with their PDF.',
    },
  },
  telecom: {
    name: vendors.telecom.name,
    descriptions: {
      'telecom.line': 'Your mobile and home lines: plan, monthly fee, data allowance.',
      'telecom.call': 'Your calls and text messages: when, to or from which number, how long.',
      'telecom.data-usage': 'Mobile data used per line and per day.',
      'telecom.vod-view': 'Films and series rented or bought on your TV box.',
      'location.point': 'Where your phones were, to the nearest cell antenna (a few hundred metres).',
      bill: 'Your monthly bills, with their PDF.',
    },
  },
  gas: {
    name: gasDistributor,
    descriptions: {
      'energy.contract': 'Your gas supply contract: offer, prices, meter.',
      'energy.gas.daily': 'Gas used per day, in kWh, with the meter index.',
      bill: 'Your gas bills, with their PDF.',
    },
  },
  water: {
    name: vendors.water.name,
    descriptions: {
      'water.daily': 'Water used per day, in litres, with the meter index and leak alerts.',
      bill: 'Your water bills, with their PDF.',
    },
  },
  retailer: {
    name: vendors.retailer.name,
    descriptions: {
      'retail.receipt': 'Your receipts from the loyalty card: every item bought, its price and category.',
    },
  },
};

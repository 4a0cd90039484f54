/**
 * A small holder built with the Kit, for tests (the Kit's own, the conformance test's and the
 * generic connector's): two customers, daily water readings from two meters (many items sharing
 * an `updatedAt`) and monthly bills with their PDF. Data for a day appears at 06:00 UTC the next
 * day, so moving the clock makes new items appear.
 */
import type { Clock } from '../platform/clock.js';
import type { HolderKitClient, HolderKitItem, HolderKitOptions } from './holder-kit-options.js';
import { minimalPdf } from './minimal-pdf.js';
import { pageRecords } from './page-records.js';

export const REFERENCE_CLIENT: HolderKitClient = {
  clientId: 'foyer',
  name: 'Foyer',
  redirectUris: ['http://127.0.0.1/holder-kit/callback'],
  purpose: 'Keep a copy of your data in your own Foyer space, where only you decide who uses it.',
};

export interface ReferenceCustomer {
  customerId: string;
  username: string;
  password: string;
}

export interface ReferenceHolder {
  options: HolderKitOptions;
  customers: ReferenceCustomer[];
  /** Adds (or, with a known key, changes) an item of a customer, as the holder's systems would. */
  upsert(customerId: string, doctype: 'water.daily' | 'bill', item: HolderKitItem): void;
}

const DAY = 86_400_000;
const isoDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);

function waterItems(meters: string[], firstDay: number, days: number): HolderKitItem[] {
  const items: HolderKitItem[] = [];
  for (let d = 0; d < days; d++) {
    const day = firstDay + d * DAY;
    meters.forEach((meterId, m) => {
      items.push({
        key: `${meterId}/${isoDay(day)}`,
        updatedAt: day + DAY + 6 * 3_600_000,
        data: { meterId, date: isoDay(day), volumeLitres: 150 + ((d * 37 + m * 11) % 200), leak: d % 45 === 44 },
      });
    });
  }
  return items;
}

function billItems(customerId: string, firstDay: number, days: number): HolderKitItem[] {
  const items: HolderKitItem[] = [];
  for (let d = 29; d < days; d += 30) {
    const issued = firstDay + d * DAY;
    const number = `${customerId.toUpperCase()}-${isoDay(issued).replaceAll('-', '')}`;
    items.push({
      key: number,
      updatedAt: issued + 6 * 3_600_000,
      data: {
        vendor: 'Eau de Test',
        vendorCategory: 'water',
        type: 'invoice',
        number,
        issueDate: isoDay(issued),
        totalAmount: 20 + (d % 7),
        currency: 'EUR',
      },
      files: [{ id: `bill-${number}`, name: `${number}.pdf`, contentType: 'application/pdf' }],
    });
  }
  return items;
}

export function createReferenceHolder(
  options: { clock: Clock; days?: number } & Partial<HolderKitOptions>,
): ReferenceHolder {
  const { clock, days = 90, ...overrides } = options;
  const today = Math.floor(clock.now() / DAY) * DAY;
  const firstDay = today - days * DAY;
  const customers: ReferenceCustomer[] = [
    { customerId: 'c1', username: 'alice', password: 'alice-password' },
    { customerId: 'c2', username: 'bob', password: 'bob-password' },
  ];
  const data = new Map<string, Map<string, HolderKitItem[]>>([
    [
      'c1',
      new Map([
        ['water.daily', waterItems(['W1-0001', 'W1-0002'], firstDay, days)],
        ['bill', billItems('c1', firstDay, days)],
      ]),
    ],
    [
      'c2',
      new Map([
        ['water.daily', waterItems(['W2-0001'], firstDay, days)],
        ['bill', billItems('c2', firstDay, days)],
      ]),
    ],
  ]);
  const itemsOf = (customerId: string, doctype: string) => data.get(customerId)?.get(doctype) ?? [];

  return {
    customers,
    upsert(customerId, doctype, item) {
      const items = data.get(customerId)!.get(doctype)!;
      const at = items.findIndex((i) => i.key === item.key);
      if (at >= 0) items.splice(at, 1);
      items.push(item);
    },
    options: {
      holder: { id: 'reference', name: 'Reference Water', contact: 'mailto:dpo@reference.invalid' },
      clock,
      authenticate: (username, password) =>
        customers.find((c) => c.username === username && c.password === password)?.customerId ?? null,
      clients: [REFERENCE_CLIENT],
      datasets: [
        {
          doctype: 'water.daily',
          schemaVersion: 1,
          title: 'Daily water consumption',
          description: 'Litres per day from each of your meters.',
          list: (customerId, query) => pageRecords(itemsOf(customerId, 'water.daily'), query),
        },
        {
          doctype: 'bill',
          schemaVersion: 1,
          title: 'Bills',
          description: 'Your water bills, with their PDF.',
          list: (customerId, query) => pageRecords(itemsOf(customerId, 'bill'), query),
        },
      ],
      files: {
        get(customerId, fileId) {
          const bill = itemsOf(customerId, 'bill').find((i) => i.files?.some((f) => f.id === fileId));
          if (!bill) return undefined;
          const { number, totalAmount } = bill.data as { number: string; totalAmount: number };
          return {
            doctype: 'bill',
            contentType: 'application/pdf',
            name: `${number}.pdf`,
            content: minimalPdf(`Bill ${number}`, [`Total: ${totalAmount} EUR`]),
          };
        },
      },
      paging: { maxPageSize: 50, defaultPageSize: 20 },
      ...overrides,
    },
  };
}

/**
 * The setup of the browser tests that check figures against the synthetic household: a real Foyer
 * filled by the real connectors from every simulated holder, and Chromium. A collection that fails
 * stops the setup, so a figure is never compared with half a household.
 */
import type { Browser } from 'playwright-core';
import { startHouseholdRig, type HouseholdRig } from '../connectors/testing/household-rig.js';
import type { HolderId } from '../holders/household/household.js';
import { ensureWebBuild, launchBrowser } from './browser.js';

export interface HouseholdBrowser {
  rig: HouseholdRig;
  browser: Browser;
  /** What the holder served the customer for this doctype: three years to the last published day. */
  records(holder: HolderId, doctype: string): Record<string, unknown>[];
  close(): Promise<void>;
}

export async function startHouseholdBrowser(options: {
  now: number;
  seed: string;
  customerId: string;
}): Promise<HouseholdBrowser> {
  ensureWebBuild();
  const [rig, browser] = await Promise.all([startHouseholdRig(options), launchBrowser()]);
  try {
    await rig.connectAll();
    const { runs } = await rig.syncAll();
    for (const r of runs) if (r.error) throw new Error(`${r.connector}: ${JSON.stringify(r.error)}`);
  } catch (err) {
    await Promise.allSettled([browser.close(), rig.close()]);
    throw err;
  }
  return {
    rig,
    browser,
    records: (holder, doctype) =>
      rig.household
        .records(options.customerId, holder, doctype, rig.household.window(options.now))
        .map((r) => r.data as Record<string, unknown>),
    close: async () => {
      await browser.close();
      await rig.close();
    },
  };
}

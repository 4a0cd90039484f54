/** Apps as `GET /api/apps` answers them (docs/apps.md); only what the screen reads. */
import type { DeletionReceipt, GrantView } from '../consents/grant-types.js';

export type Trigger = { kind: 'schedule'; cron: string } | { kind: 'change'; doctype: string };

export interface AppService {
  name: string;
  triggers: Trigger[];
}

export type AppStatus = 'pending' | 'active' | 'update-pending' | 'refused' | 'expired';

export interface AppView {
  id: string;
  name: string;
  version: string;
  publisher: string;
  description: { en: string; fr: string };
  web: boolean;
  services: AppService[];
  installed: null | {
    version: string;
    status: AppStatus;
    grants: GrantView[];
    services: AppService[];
    pending: { version: string; services: AppService[] } | null;
    installedAt: string;
  };
  updateAvailable: boolean;
}

export interface UninstallResult {
  app: string;
  receipts: DeletionReceipt[];
}

export interface Notice {
  id: string;
  app: string;
  service: string;
  at: string;
  message: { en: string; fr: string };
}

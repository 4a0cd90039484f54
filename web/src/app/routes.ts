/**
 * Every screen of the web app: its path pattern, its page (from `features/<name>/<name>-page.tsx`)
 * and, for the screens in the main navigation, its nav entry. Adding a screen is adding a line here
 * (see docs/web-app.md).
 */
import type { ComponentType } from 'preact';
import type { PageProps } from './page.js';
import type { en as shellMessages } from './messages.js';
import { HomePage } from '../features/home/home-page.js';
import { ConnectPage } from '../features/connect/connect-page.js';
import { MyDataPage } from '../features/my-data/my-data-page.js';
import { ConsentsPage } from '../features/consents/consents-page.js';
import { AccessLogPage } from '../features/access-log/access-log-page.js';
import { MonLogisPage } from '../features/mon-logis/mon-logis-page.js';
import { AppsPage } from '../features/apps/apps-page.js';
import { SessionsPage } from '../features/sessions/sessions-page.js';

export interface RouteEntry {
  path: string;
  page: ComponentType<PageProps>;
  /** The main navigation entry this screen belongs to (its label key), if any. */
  nav?: keyof typeof shellMessages;
}

export const routes: readonly RouteEntry[] = [
  { path: '/', page: HomePage, nav: 'navHome' },
  { path: '/connect', page: ConnectPage, nav: 'navConnect' },
  { path: '/data', page: MyDataPage, nav: 'navData' },
  { path: '/data/:doctype', page: MyDataPage, nav: 'navData' },
  { path: '/data/:doctype/:id', page: MyDataPage, nav: 'navData' },
  { path: '/consents', page: ConsentsPage, nav: 'navConsents' },
  { path: '/access-log', page: AccessLogPage, nav: 'navAccessLog' },
  { path: '/mon-logis', page: MonLogisPage, nav: 'navMonLogis' },
  { path: '/apps', page: AppsPage, nav: 'navApps' },
  { path: '/apps/:id', page: AppsPage, nav: 'navApps' },
  { path: '/sessions', page: SessionsPage },
];

/** The main navigation, in order: the first route of each nav entry. */
export const navigation: readonly { path: string; label: keyof typeof shellMessages }[] = routes
  .filter((r, i) => r.nav && routes.findIndex((o) => o.nav === r.nav) === i)
  .map((r) => ({ path: r.path, label: r.nav! }));

/**
 * Placeholder so the routes table and the navigation are complete: the web-shell helper owns this
 * folder and replaces this file (keep the export name, `ConnectPage`, and the `PageProps` signature).
 */
import type { PageProps } from '../../app/page.js';
import { EmptyState } from '../../components/states.js';
import { useT } from '../../i18n/i18n.js';
import * as messages from './messages.js';

export function ConnectPage(_props: PageProps) {
  const t = useT(messages);
  return (
    <section>
      <h1>{t('title')}</h1>
      <EmptyState title={t('intro')} />
    </section>
  );
}

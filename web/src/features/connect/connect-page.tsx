/** Connect and import: the catalog of connectors (each connectable from its card) and file import. */
import { loadDoctypes } from '../../api/doctypes.js';
import type { ConnectorListing } from '../../api/types.js';
import { useApi } from '../../app/app-context.js';
import type { PageProps } from '../../app/page.js';
import { ErrorNotice, Loading } from '../../components/states.js';
import { useLoad } from '../../components/use-load.js';
import { useT } from '../../i18n/i18n.js';
import { ConnectorCard } from './connector-card.js';
import { FileImport } from './file-import.js';
import * as messages from './messages.js';

export function ConnectPage(props: PageProps) {
  const t = useT(messages);
  const api = useApi();
  const catalog = useLoad(() => api.get<{ connectors: ConnectorListing[] }>('/api/connectors'), [api]);
  const doctypes = useLoad(() => loadDoctypes(api), [api]);
  const focus = props.query.get('connector');
  const listings = catalog.data?.connectors ?? [];
  // Connected ones first, then the others by name.
  const sorted = [...listings].sort(
    (a, b) =>
      Number(!a.installed) - Number(!b.installed) || a.manifest.holder.name.localeCompare(b.manifest.holder.name),
  );

  return (
    <section>
      <h1>{t('title')}</h1>
      <p>{t('intro')}</p>
      <h2>{t('catalog')}</h2>
      {catalog.loading && !catalog.data && <Loading />}
      {catalog.error !== undefined && <ErrorNotice error={catalog.error} onRetry={catalog.reload} />}
      <div class="cards" data-ready={catalog.data ? 'connect' : undefined}>
        {sorted.map((listing) => (
          <ConnectorCard
            key={listing.manifest.id}
            listing={listing}
            doctypes={doctypes.data}
            onChange={catalog.reload}
            focus={focus === listing.manifest.id}
          />
        ))}
      </div>
      <FileImport doctypes={doctypes.data} onImported={() => undefined} />
    </section>
  );
}

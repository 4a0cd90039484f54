/**
 * The export button (issue 8): downloads `POST /api/export` as it is streamed, showing the bytes
 * received, then hands the archive to the browser's downloads. Mounted by the shell where it
 * fits (e.g. My data); everything it needs is here.
 */
import { useState } from 'preact/hooks';
import { readCookie } from '../../api/client.js';
import { useT } from '../../i18n/i18n.js';
import * as messages from './messages.js';

const FORMATS = [
  'bank-transactions.csv',
  'bank-transactions.ofx',
  'calendar.ics',
  'contacts.vcf',
  'places.geojson',
  'consumption.csv',
];

const mib = (n: number) => `${(n / 1024 / 1024).toFixed(1)} MB`;

export function ExportPanel() {
  const t = useT(messages);
  const [passphrase, setPassphrase] = useState('');
  const [received, setReceived] = useState<number | null>(null);
  const [state, setState] = useState<'idle' | 'working' | 'done' | 'failed'>('idle');
  const [error, setError] = useState<string | null>(null);

  async function download() {
    if (passphrase !== '' && passphrase.length < 12) {
      setError(t('tooShort'));
      return;
    }
    setError(null);
    setState('working');
    setReceived(0);
    try {
      const res = await fetch('/api/export', {
        method: 'POST',
        credentials: 'same-origin',
        headers: { 'content-type': 'application/json', 'x-csrf-token': readCookie(document.cookie, 'foyer_csrf') },
        body: JSON.stringify(passphrase ? { passphrase } : {}),
      });
      if (!res.ok || !res.body)
        throw new Error(((await res.json()) as { error?: { message?: string } }).error?.message ?? res.statusText);
      const parts: Uint8Array[] = [];
      let size = 0;
      const reader = res.body.getReader();
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        parts.push(value);
        size += value.length;
        setReceived(size);
      }
      const name = /filename="([^"]+)"/.exec(res.headers.get('content-disposition') ?? '')?.[1] ?? 'foyer-archive.zip';
      const url = URL.createObjectURL(
        new Blob(parts as BlobPart[], { type: res.headers.get('content-type') ?? 'application/zip' }),
      );
      const a = document.createElement('a');
      a.href = url;
      a.download = name;
      a.click();
      setTimeout(() => URL.revokeObjectURL(url), 60_000);
      setState('done');
    } catch (e) {
      setState('failed');
      setError(e instanceof Error ? e.message : String(e));
    }
  }

  return (
    <section aria-labelledby="export-title">
      <h2 id="export-title">{t('title')}</h2>
      <p>{t('intro')}</p>
      <label>
        {t('passphrase')}
        <input
          type="password"
          autocomplete="new-password"
          value={passphrase}
          onInput={(e) => setPassphrase((e.target as HTMLInputElement).value)}
        />
      </label>
      <button type="button" disabled={state === 'working'} onClick={() => void download()}>
        {t('download')}
      </button>
      {state === 'working' && <p role="status">{t('working', { size: mib(received ?? 0) })}</p>}
      {state === 'done' && <p role="status">{t('done', { size: mib(received ?? 0) })}</p>}
      {error !== null && <p role="alert">{error}</p>}
      <p>{t('formats')}</p>
      <ul>
        {FORMATS.map((f) => (
          <li key={f}>
            <a href={`/api/export/formats/${f}`} download={f}>
              {f}
            </a>
          </li>
        ))}
      </ul>
    </section>
  );
}

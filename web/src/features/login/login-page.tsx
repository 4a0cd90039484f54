/** Logging in with the passphrase. */
import { useState } from 'preact/hooks';
import { useApp } from '../../app/app-context.js';
import { LabelledInput } from '../../components/labelled-input.js';
import { LanguageSwitch } from '../../components/language-switch.js';
import { ErrorNotice } from '../../components/states.js';
import { useT } from '../../i18n/i18n.js';
import * as messages from './messages.js';

export function LoginPage() {
  const t = useT(messages);
  const { api, refreshAuth } = useApp();
  const [passphrase, setPassphrase] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  async function submit(e: Event) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await api.post('/api/auth/login', { passphrase });
      await refreshAuth();
    } catch (err) {
      setError(err);
      setBusy(false);
    }
  }

  return (
    <main id="main" class="card-page">
      <LanguageSwitch />
      <h1>{t('title')}</h1>
      <form onSubmit={submit} class="form">
        <LabelledInput
          id="login-passphrase"
          type="password"
          label={t('passphrase')}
          help={t('forgot')}
          autocomplete="current-password"
          value={passphrase}
          onInput={setPassphrase}
        />
        {error !== null && <ErrorNotice error={error} />}
        <button type="submit" disabled={busy}>
          {busy ? t('loggingIn') : t('login')}
        </button>
      </form>
    </main>
  );
}

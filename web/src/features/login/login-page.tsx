/** Logging in with the passphrase. */
import { useState } from 'preact/hooks';
import { useApp } from '../../app/app-context.js';
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
        <label for="login-passphrase">{t('passphrase')}</label>
        <input
          id="login-passphrase"
          type="password"
          value={passphrase}
          autocomplete="current-password"
          required
          aria-describedby="login-help"
          onInput={(e) => setPassphrase(e.currentTarget.value)}
        />
        <p id="login-help" class="help">
          {t('forgot')}
        </p>
        {error !== null && <ErrorNotice error={error} />}
        <button type="submit" disabled={busy}>
          {busy ? t('loggingIn') : t('login')}
        </button>
      </form>
    </main>
  );
}

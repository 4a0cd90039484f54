/** First run: the setup code Foyer printed (read from `?setup=`) and the owner's new passphrase. */
import { useState } from 'preact/hooks';
import { useApp } from '../../app/app-context.js';
import { useQuery, useRouter } from '../../app/router.js';
import { ErrorNotice } from '../../components/states.js';
import { LanguageSwitch } from '../../components/language-switch.js';
import { useT } from '../../i18n/i18n.js';
import * as messages from './messages.js';

export const MIN_PASSPHRASE = 12;

export function FirstRunPage() {
  const t = useT(messages);
  const { api, refreshAuth } = useApp();
  const { navigate } = useRouter();
  const query = useQuery();
  const [setupCode, setSetupCode] = useState(query.get('setup') ?? '');
  const [passphrase, setPassphrase] = useState('');
  const [confirm, setConfirm] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  async function submit(e: Event) {
    e.preventDefault();
    setError(null);
    if (passphrase.length < MIN_PASSPHRASE) return setProblem(t('tooShort'));
    if (passphrase !== confirm) return setProblem(t('mismatch'));
    setProblem(null);
    setBusy(true);
    try {
      await api.post('/api/auth/init', { setupCode: setupCode.trim(), passphrase });
      // The setup code is spent: keep it out of the address bar and history.
      navigate('/', { replace: true });
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
      <p>{t('intro')}</p>
      <form onSubmit={submit} class="form">
        <label for="setup-code">{t('setupCode')}</label>
        <input
          id="setup-code"
          value={setupCode}
          autocomplete="off"
          required
          aria-describedby="setup-code-help"
          onInput={(e) => setSetupCode(e.currentTarget.value)}
        />
        <p id="setup-code-help" class="help">
          {t('setupCodeHelp')}
        </p>
        <label for="passphrase">{t('passphrase')}</label>
        <input
          id="passphrase"
          type="password"
          value={passphrase}
          autocomplete="new-password"
          required
          aria-describedby="passphrase-help"
          onInput={(e) => setPassphrase(e.currentTarget.value)}
        />
        <p id="passphrase-help" class="help">
          {t('passphraseHelp')}
        </p>
        <label for="confirm">{t('confirm')}</label>
        <input
          id="confirm"
          type="password"
          value={confirm}
          autocomplete="new-password"
          required
          onInput={(e) => setConfirm(e.currentTarget.value)}
        />
        {problem && (
          <p class="notice notice-error" role="alert">
            {problem}
          </p>
        )}
        {error !== null && <ErrorNotice error={error} />}
        <button type="submit" disabled={busy}>
          {busy ? t('creating') : t('create')}
        </button>
      </form>
    </main>
  );
}

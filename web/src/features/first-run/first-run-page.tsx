/** First run: the setup code Foyer printed (read from `?setup=`) and the owner's new passphrase. */
import { useState } from 'preact/hooks';
import { useApp } from '../../app/app-context.js';
import { useQuery, useRouter } from '../../app/router.js';
import { ErrorNotice } from '../../components/states.js';
import { LabelledInput } from '../../components/labelled-input.js';
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
        <LabelledInput
          id="setup-code"
          label={t('setupCode')}
          help={t('setupCodeHelp')}
          value={setupCode}
          onInput={setSetupCode}
        />
        <LabelledInput
          id="passphrase"
          type="password"
          label={t('passphrase')}
          help={t('passphraseHelp')}
          autocomplete="new-password"
          value={passphrase}
          onInput={setPassphrase}
        />
        <LabelledInput
          id="confirm"
          type="password"
          label={t('confirm')}
          autocomplete="new-password"
          value={confirm}
          onInput={setConfirm}
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

/**
 * The pages a person sees during an OAuth authorization: log in, the consent screen (whose text is
 * the grant's own consent text, in French or English) and errors. Plain HTML forms: no script at
 * all, a strict Content-Security-Policy, never framed.
 */
import type { GrantView } from '../../core/grants/grant-service.js';
import type { GrantVersion } from '../../core/grants/grant.js';
import type { OAuthClient } from '../../core/oauth/oauth-client.js';
import { respond } from '../respond.js';

export type Lang = 'en' | 'fr';

export const OAUTH_CSS_PATH = '/assets/oauth.css';

export const oauthCss = `body{font:16px/1.5 system-ui,sans-serif;margin:0;background:#f7f5f0;color:#1d1d1b}
main{max-width:40rem;margin:2rem auto;padding:0 1rem}h1{font-size:1.5rem}
.consent{white-space:pre-wrap;background:#fff;border:1px solid #d6d2c4;border-radius:4px;padding:1rem;font:inherit}
label{display:block;margin-top:.5rem}input[type=password]{width:100%;padding:.5rem;font:inherit;box-sizing:border-box}
button{margin:1rem .5rem 0 0;padding:.5rem 1rem;font:inherit;border:0;border-radius:4px;background:#24406b;color:#fff}
button.secondary{background:#6b6b66}button:focus,input:focus{outline:3px solid #e0a100}
.error{color:#8a1c1c}.meta{color:#4a4a45;font-size:.9rem}nav a{margin-right:1rem}`;

const T = {
  en: {
    title: 'Consent',
    intro: (name: string) => `“${name}” asks for access to your data. Read what you are agreeing to:`,
    optional: 'Optional data (untick what you do not want to share):',
    accept: 'I agree',
    refuse: 'Refuse',
    back: (host: string) => `Either way you will be sent back to ${host}.`,
    already: 'You already agreed to these terms; agreeing again sends you back to the service.',
    loginTitle: 'Log in to continue',
    loginIntro: (name: string) => `“${name}” asks for access to your data. Log in to your space to decide.`,
    passphrase: 'Passphrase',
    login: 'Log in',
    errorTitle: 'This request cannot go on',
    other: 'Français',
  },
  fr: {
    title: 'Consentement',
    intro: (name: string) => `« ${name} » demande l’accès à vos données. Lisez ce que vous acceptez :`,
    optional: 'Données facultatives (décochez ce que vous ne voulez pas partager) :',
    accept: 'J’accepte',
    refuse: 'Refuser',
    back: (host: string) => `Dans les deux cas vous serez renvoyé vers ${host}.`,
    already: 'Vous avez déjà accepté ces conditions ; accepter à nouveau vous renvoie vers le service.',
    loginTitle: 'Connectez-vous pour continuer',
    loginIntro: (name: string) =>
      `« ${name} » demande l’accès à vos données. Connectez-vous à votre espace pour décider.`,
    passphrase: 'Phrase de passe',
    login: 'Se connecter',
    errorTitle: 'Cette demande ne peut pas aboutir',
    other: 'English',
  },
} as const;

export function escapeHtml(text: string): string {
  return text.replace(
    /[&<>"']/g,
    (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[ch]!,
  );
}

const hidden = (name: string, value: string) =>
  `<input type="hidden" name="${escapeHtml(name)}" value="${escapeHtml(value)}">`;

/** The page's policy; a form that redirects to the client needs the client's origin in form-action. */
function page(lang: Lang, title: string, body: string, status: number, formTarget?: string): Response {
  const formAction = ["'self'", ...(formTarget ? [new URL(formTarget).origin] : [])].join(' ');
  const html = `<!doctype html>
<html lang="${lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>${escapeHtml(title)} · Foyer</title>
<link rel="stylesheet" href="${OAUTH_CSS_PATH}">
</head>
<body>
<main>
${body}
</main>
</body>
</html>`;
  return respond(html, status, {
    'content-type': 'text/html; charset=utf-8',
    'content-security-policy': `default-src 'none'; style-src 'self'; form-action ${formAction}; base-uri 'none'; frame-ancestors 'none'`,
  });
}

/** A link to the same request in the other language (`ui_locales`). */
function otherLanguage(lang: Lang, request: string): string {
  const q = new URLSearchParams(request);
  q.set('ui_locales', lang === 'en' ? 'fr' : 'en');
  return `<nav><a href="/oauth/authorize?${escapeHtml(q.toString())}">${T[lang].other}</a></nav>`;
}

export function consentPage(input: {
  lang: Lang;
  client: OAuthClient;
  grant: GrantView;
  version: GrantVersion;
  consented: boolean;
  redirectUri: string;
  /** The authorization request's query string, carried through the form. */
  request: string;
  csrfToken: string;
}): Response {
  const { lang, client, version } = input;
  const t = T[lang];
  const optional = version.terms.scopes.flatMap((s, i) => (s.optional ? [{ s, i }] : []));
  const checkboxes =
    !input.consented && optional.length > 0
      ? `<fieldset><legend>${t.optional}</legend>${optional
          .map(
            ({ s, i }) =>
              `<label><input type="checkbox" name="keep" value="${i}" checked> ${escapeHtml(s.doctype)}: ${escapeHtml(s.verbs.join(', '))}</label>`,
          )
          .join('')}</fieldset>`
      : '';
  const body = `${otherLanguage(lang, input.request)}
<h1>${t.title}</h1>
<p>${escapeHtml(t.intro(client.name))}</p>
<div class="consent" lang="${lang}" id="consent-text">${escapeHtml(version.consentText[lang])}</div>
${input.consented ? `<p class="meta">${t.already}</p>` : ''}
<form method="post" action="/oauth/authorize">
${hidden('csrf_token', input.csrfToken)}
${hidden('request', input.request)}
${hidden('grant', input.grant.id)}
${hidden('version', String(version.version))}
${hidden('consent_hash', version.consentHash)}
${hidden('language', lang)}
${checkboxes}
<button type="submit" name="decision" value="accept">${t.accept}</button>
<button type="submit" name="decision" value="refuse" class="secondary">${t.refuse}</button>
</form>
<p class="meta">${escapeHtml(t.back(new URL(input.redirectUri).host))}</p>`;
  return page(lang, t.title, body, 200, input.redirectUri);
}

export function loginPage(input: {
  lang: Lang;
  client: OAuthClient;
  request: string;
  error?: string;
  status?: number;
}) {
  const t = T[input.lang];
  const body = `${otherLanguage(input.lang, input.request)}
<h1>${t.loginTitle}</h1>
<p>${escapeHtml(t.loginIntro(input.client.name))}</p>
${input.error ? `<p class="error" role="alert">${escapeHtml(input.error)}</p>` : ''}
<form method="post" action="/oauth/login">
${hidden('request', input.request)}
<label for="passphrase">${t.passphrase}</label>
<input id="passphrase" name="passphrase" type="password" autocomplete="current-password" required>
<button type="submit">${t.login}</button>
</form>`;
  return page(input.lang, t.loginTitle, body, input.status ?? 200);
}

export function errorPage(lang: Lang, message: string, status: number): Response {
  const t = T[lang];
  return page(
    lang,
    t.errorTitle,
    `<h1>${t.errorTitle}</h1>\n<p class="error" role="alert">${escapeHtml(message)}</p>`,
    status,
  );
}

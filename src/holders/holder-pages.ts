/**
 * The pages a simulated holder shows the customer: its login, the second-factor step, its consent
 * page. Plain forms, so that a connector test can drive them with fetch and a person with a browser.
 */
import { escapeHtml } from '../http/pages/oauth-pages.js';

export interface PageFrame {
  holder: string;
  title: string;
}

const hidden = (fields: Record<string, string>): string =>
  Object.entries(fields)
    .map(([name, value]) => `<input type="hidden" name="${escapeHtml(name)}" value="${escapeHtml(value)}">`)
    .join('\n');

function page(frame: PageFrame, body: string): string {
  return `<!doctype html>
<html lang="fr"><head><meta charset="utf-8"><title>${escapeHtml(frame.title)} · ${escapeHtml(frame.holder)}</title>
<style>body{font-family:system-ui,sans-serif;max-width:28rem;margin:3rem auto;padding:0 1rem}label{display:block;margin:.8rem 0}
input[type=text],input[type=password]{width:100%;padding:.4rem}.error{color:#b00020}button{padding:.5rem 1rem}</style></head>
<body><h1>${escapeHtml(frame.holder)}</h1><h2>${escapeHtml(frame.title)}</h2>
${body}
</body></html>`;
}

export function loginPage(frame: PageFrame, action: string, fields: Record<string, string>, error?: string): string {
  return page(
    frame,
    `${error ? `<p class="error" role="alert">${escapeHtml(error)}</p>` : ''}
<form method="post" action="${escapeHtml(action)}">
${hidden(fields)}
<label>Identifiant <input type="text" name="username" autocomplete="username" required></label>
<label>Mot de passe <input type="password" name="password" autocomplete="current-password" required></label>
<button type="submit" name="action" value="login">Se connecter</button>
<button type="submit" name="action" value="cancel" formnovalidate>Annuler</button>
</form>`,
  );
}

export function otpPage(frame: PageFrame, action: string, fields: Record<string, string>, error?: string): string {
  return page(
    frame,
    `<p>Un code de confirmation vous a été envoyé par SMS. Saisissez-le pour continuer.</p>
${error ? `<p class="error" role="alert">${escapeHtml(error)}</p>` : ''}
<form method="post" action="${escapeHtml(action)}">
${hidden(fields)}
<label>Code reçu par SMS <input type="text" name="otp" inputmode="numeric" autocomplete="one-time-code" required></label>
<button type="submit">Valider</button>
</form>`,
  );
}

export function consentPage(frame: PageFrame, action: string, fields: Record<string, string>, lines: string[]): string {
  return page(
    frame,
    `<ul>${lines.map((l) => `<li>${escapeHtml(l)}</li>`).join('')}</ul>
<form method="post" action="${escapeHtml(action)}">
${hidden(fields)}
<label><input type="checkbox" name="accept" value="yes" required> J'accepte de partager ces données</label>
<button type="submit" name="decision" value="allow">Valider</button>
<button type="submit" name="decision" value="deny" formnovalidate>Refuser</button>
</form>`,
  );
}

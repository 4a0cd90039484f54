/**
 * The pages a customer sees at the holder: log in, consent, errors. Plain HTML forms without any
 * script, never framed. Their form fields are part of the Kit's contract (docs/holder-kit.md):
 * the login form has inputs `username` and `password`, the consent form buttons `decision=allow`
 * and `decision=deny`, so that the conformance test can drive any implementation's pages.
 */
import type { HolderIdentity, HolderKitClient, HolderKitDataset } from './holder-kit-options.js';

export function escapeHtml(text: string): string {
  return text.replace(
    /[&<>"']/g,
    (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[ch]!,
  );
}

const css = `body{font:16px/1.5 system-ui,sans-serif;margin:0;background:#f6f6f3;color:#1d1d1b}
main{max-width:36rem;margin:2rem auto;padding:0 1rem}h1{font-size:1.4rem}
label{display:block;margin-top:.75rem}input{display:block;width:100%;padding:.5rem;font:inherit;box-sizing:border-box}
button{margin:1rem .5rem 0 0;padding:.5rem 1rem;font:inherit;border:0;border-radius:4px;background:#1f4e79;color:#fff}
button[value=deny]{background:#6b6b66}.error{color:#8a1c1c}dt{font-weight:600;margin-top:.5rem}dd{margin:0}
.purpose{background:#fff;border:1px solid #d6d2c4;border-radius:4px;padding:.75rem}`;

/** `formTarget`: an origin the page's form may end up at (the client, after consent). */
function page(holder: HolderIdentity, title: string, body: string, status: number, formTarget?: string): Response {
  const formAction = ["'self'", ...(formTarget ? [new URL(formTarget).origin] : [])].join(' ');
  const html = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>${escapeHtml(title)} · ${escapeHtml(holder.name)}</title>
<style>${css}</style>
</head>
<body>
<main>
${body}
</main>
</body>
</html>`;
  return new Response(html, {
    status,
    headers: {
      'content-type': 'text/html; charset=utf-8',
      'cache-control': 'no-store',
      'content-security-policy': `default-src 'none'; style-src 'unsafe-inline'; form-action ${formAction}; frame-ancestors 'none'; base-uri 'none'`,
      'x-frame-options': 'DENY',
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer',
    },
  });
}

const alert = (error: string | null) => (error ? `<p class="error" role="alert">${escapeHtml(error)}</p>` : '');

/** A form posting back to the visit: its hidden token, then the given fields and buttons. */
const visitForm = (action: string, formToken: string, inner: string) => `<form method="post" action="${action}">
<input type="hidden" name="visit" value="${escapeHtml(formToken)}">
${inner}
</form>`;

export function loginPage(
  holder: HolderIdentity,
  client: HolderKitClient,
  formToken: string,
  error: string | null,
  status = 200,
): Response {
  return page(
    holder,
    'Log in',
    `<h1>Log in to your ${escapeHtml(holder.name)} account</h1>
<p>“${escapeHtml(client.name)}” asks for a copy of your data. Log in with your usual ${escapeHtml(holder.name)} login to see what it asks for and decide.</p>
${alert(error)}
${visitForm(
  'login',
  formToken,
  `<label>Customer login <input name="username" autocomplete="username" required></label>
<label>Password <input type="password" name="password" autocomplete="current-password" required></label>
<button type="submit">Log in</button>`,
)}`,
    status,
  );
}

export function secondFactorPage(
  holder: HolderIdentity,
  formToken: string,
  error: string | null,
  status = 200,
): Response {
  return page(
    holder,
    'Verification code',
    `<h1>Enter your verification code</h1>
<p>${escapeHtml(holder.name)} sent a code to your phone. Enter it to go on.</p>
${alert(error)}
${visitForm(
  'second-factor',
  formToken,
  `<label>Code <input name="otp" inputmode="numeric" autocomplete="one-time-code" required></label>
<button type="submit">Continue</button>`,
)}`,
    status,
  );
}

export function consentPage(
  holder: HolderIdentity,
  client: HolderKitClient,
  datasets: HolderKitDataset[],
  formToken: string,
  redirectUri: string,
): Response {
  const list = datasets
    .map(
      (d) =>
        `<dt>${escapeHtml(d.title)} <code>${escapeHtml(d.doctype)}</code></dt>` +
        (d.description ? `<dd>${escapeHtml(d.description)}</dd>` : ''),
    )
    .join('\n');
  const privacy = holder.privacyPolicyUrl
    ? ` <a href="${escapeHtml(holder.privacyPolicyUrl)}">${escapeHtml(holder.name)}’s privacy policy</a>.`
    : '';
  return page(
    holder,
    'Consent',
    `<h1>Give “${escapeHtml(client.name)}” a copy of your data?</h1>
<p>${escapeHtml(holder.name)} will send “${escapeHtml(client.name)}” a copy of this data, now and as it changes, until you withdraw (your right to data portability, GDPR article 20):</p>
<dl>
${list}
</dl>
<p>What “${escapeHtml(client.name)}” says it is for:</p>
<p class="purpose">${escapeHtml(client.purpose)}</p>
<p>You can withdraw at any time from “${escapeHtml(client.name)}”; ${escapeHtml(holder.name)} then stops sending data.${privacy}</p>
${visitForm(
  'consent',
  formToken,
  `<button type="submit" name="decision" value="allow">Allow</button>
<button type="submit" name="decision" value="deny">Refuse</button>`,
)}`,
    200,
    redirectUri,
  );
}

export function errorPage(holder: HolderIdentity, message: string, status: number): Response {
  return page(
    holder,
    'Error',
    `<h1>This request cannot go on</h1>
<p class="error" role="alert">${escapeHtml(message)}</p>
<p>Go back to the service that sent you here and start again.</p>`,
    status,
  );
}

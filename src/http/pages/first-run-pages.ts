/**
 * A minimal page at `/` until the web app arrives: first-run passphrase creation (with the setup
 * code Foyer printed) or login, and links to the API description. No inline script or style, so
 * the page runs under a strict Content-Security-Policy.
 */
import type { Hono } from 'hono';
import type { AppEnv } from '../route.js';
import { respond } from '../respond.js';

const PAGE_CSP =
  "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

const html = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Foyer</title>
<link rel="stylesheet" href="/assets/first-run.css">
<script src="/assets/first-run.js" defer></script>
</head>
<body>
<main>
  <h1>Foyer</h1>
  <p class="lead">Your personal data space. <span lang="fr">Votre espace de données personnelles.</span></p>
  <section id="setup" hidden>
    <h2>Create your passphrase</h2>
    <p>Use the setup code printed where Foyer was started, or run <code>npx foyer init</code> there instead.</p>
    <form id="setup-form">
      <label for="setup-code">Setup code</label>
      <input id="setup-code" name="setupCode" autocomplete="off" required>
      <label for="setup-passphrase">Passphrase (at least 12 characters)</label>
      <input id="setup-passphrase" name="passphrase" type="password" autocomplete="new-password" minlength="12" required>
      <button type="submit">Create</button>
    </form>
  </section>
  <section id="login" hidden>
    <h2>Log in</h2>
    <form id="login-form">
      <label for="login-passphrase">Passphrase</label>
      <input id="login-passphrase" name="passphrase" type="password" autocomplete="current-password" required>
      <button type="submit">Log in</button>
    </form>
  </section>
  <section id="home" hidden>
    <h2>You are logged in</h2>
    <p>The web app comes next. Meanwhile the API is described in <a href="/api/openapi.json">OpenAPI</a>.</p>
    <button id="logout" type="button">Log out</button>
  </section>
  <p id="message" role="status" aria-live="polite"></p>
</main>
</body>
</html>`;

const css = `body{font:16px/1.5 system-ui,sans-serif;margin:0;background:#f7f5f0;color:#1d1d1b}
main{max-width:32rem;margin:3rem auto;padding:0 1rem}h1{margin:0}.lead{color:#4a4a45}
label{display:block;margin-top:1rem;font-weight:600}input{width:100%;padding:.5rem;font:inherit;box-sizing:border-box}
button{margin-top:1rem;padding:.5rem 1rem;font:inherit;background:#24406b;color:#fff;border:0;border-radius:4px}
button:focus,input:focus{outline:3px solid #e0a100}#message{min-height:1.5em;color:#8a1c1c}`;

const js = `'use strict';
const $ = (id) => document.getElementById(id);
const say = (text) => { $('message').textContent = text; };
const csrf = () => (document.cookie.match(/(?:^|; )foyer_csrf=([^;]+)/) || [])[1] || '';
async function call(path, body) {
  const res = await fetch(path, { method: 'POST', headers: { 'content-type': 'application/json', 'x-csrf-token': csrf() }, body: JSON.stringify(body || {}) });
  const data = await res.json().catch(() => ({}));
  if (!res.ok) throw new Error((data.error && data.error.message) || res.statusText);
  return data;
}
async function show() {
  const s = await (await fetch('/api/auth/status')).json();
  $('setup').hidden = s.initialised; $('login').hidden = !s.initialised || s.authenticated; $('home').hidden = !s.authenticated;
  const code = new URLSearchParams(location.search).get('setup');
  if (code) $('setup-code').value = code;
}
$('setup-form').addEventListener('submit', async (e) => { e.preventDefault(); try { await call('/api/auth/init', { setupCode: $('setup-code').value, passphrase: $('setup-passphrase').value }); say(''); history.replaceState(null, '', '/'); await show(); } catch (err) { say(err.message); } });
$('login-form').addEventListener('submit', async (e) => { e.preventDefault(); try { await call('/api/auth/login', { passphrase: $('login-passphrase').value }); say(''); await show(); } catch (err) { say(err.message); } });
$('logout').addEventListener('click', async () => { await call('/api/auth/logout'); await show(); });
show().catch((err) => say(err.message));
`;

export function firstRunPages(): (app: Hono<AppEnv>) => void {
  return (app) => {
    app.get('/', () =>
      respond(html, 200, {
        'content-type': 'text/html; charset=utf-8',
        'content-security-policy': PAGE_CSP,
        'cache-control': 'no-cache',
      }),
    );
    app.get('/assets/first-run.js', () =>
      respond(js, 200, { 'content-type': 'text/javascript; charset=utf-8', 'cache-control': 'no-cache' }),
    );
    app.get('/assets/first-run.css', () =>
      respond(css, 200, { 'content-type': 'text/css; charset=utf-8', 'cache-control': 'no-cache' }),
    );
  };
}
